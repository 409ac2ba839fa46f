from survey_app.server.run import main

raise SystemExit(main())
