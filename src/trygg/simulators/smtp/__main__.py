from trygg.simulators.smtp.server import main

main()
