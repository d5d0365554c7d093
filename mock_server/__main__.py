from nemo_mock.mock_server.cli import main

main()
