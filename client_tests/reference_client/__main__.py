from client_tests.reference_client.main import main

raise SystemExit(main())
