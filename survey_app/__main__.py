from survey_app.entry import main

raise SystemExit(main())
