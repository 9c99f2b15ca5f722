#!/usr/bin/env python
from piak.cli import main

if __name__ == "__main__":
    main()
