from trygg.simulators.sms.server import main

main()
