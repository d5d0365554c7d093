from nemo_mock.client_tests.reference_client.main import main

raise SystemExit(main())
