from trygg.simulators.post.server import main

main()
