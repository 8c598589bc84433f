from trygg.simulators.issuers.server import main

main()
