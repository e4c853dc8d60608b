"""``python -m lucidnet``: the same command-line tool as the ``lucidnet`` script."""

from lucidnet.cli import main

if __name__ == "__main__":
    main()
