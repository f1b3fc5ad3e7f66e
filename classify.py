"""Classify a file of logs from a checkout: `python classify.py logs.csv -o out.csv`.

The same as the installed `logclf` command (logclf/cli.py); with no input it classifies the sample
resources/test.csv into resources/output.csv. `python classify.py --help` lists the options.
"""

import sys

from logclf.cli import classify_main

if __name__ == "__main__":
    sys.exit(classify_main(prog="classify.py"))
