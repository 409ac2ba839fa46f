"""Office (counter) windows: certificates, applications, re-surveys."""
