"""Speed benchmark of lucidnet against scikit-learn and PyTorch (issue 5).

Run ``python -m benchmarks`` from the repository root; see ``benchmarks/README.md``.
Not part of the installed package: it is a development tool.
"""
