from eval.bench.suite import main

raise SystemExit(main())
