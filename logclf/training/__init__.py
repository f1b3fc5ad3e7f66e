"""Training and evaluation: fit the classifier head, calibrate its gates, and measure the cascade.

`logclf train`, `logclf evaluate` and `logclf discover` run `train.main`, `evaluate.main` and
`discover.main`. The corpus itself is authored in the repository's top-level `training/` folder.
"""
