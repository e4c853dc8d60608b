"""The ``lucidnet`` command-line tool (also ``python -m lucidnet``).

Commands: ``train``, ``demo``, ``predict``, ``evaluate``, ``info``, ``dataset``,
``gradcheck`` and ``explain``; ``lucidnet COMMAND --help`` shows each one's options
with examples.

This module only parses options and prints results.  Reading data, model files,
outputs, training, checkpoints, gradient checks and metrics live in the private
``lucidnet._cli_*`` modules, which call the library's public API; NumPy-heavy and
optional libraries (scikit-learn, matplotlib, tqdm) are imported inside the commands so
that ``lucidnet --help`` starts fast.

Errors a user can cause -- a bad cell in a data file, an unknown column, a damaged
model file, a bad option value -- are printed as one line ``error: <message>`` on
stderr with exit status 2 and no traceback.  Anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

import itertools
import math
import re
import shlex
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from . import __version__, activations, losses
from .errors import DivergenceError, LucidnetError, StoppedByUser

__all__ = ["cli", "main"]

#: Exit status for errors the user can fix (bad data, bad options, bad model file).
USAGE_ERROR = 2
#: Exit status when the command ran but failed (training diverged, gradients disagree).
FAILURE = 1
#: Rows a built-in data set holds out for testing unless --test-size says otherwise.
DEMO_TEST_SIZE = 0.2
#: --lr-schedule's choices: the training schedules (lucidnet.schedules) that need no
#: settings beyond the other options (the help says what each does).
LR_SCHEDULES = ("constant", "cosine", "step", "exponential", "plateau")


# ------------------------------------------------------------------ option types
#: The most units a layer may have.  Far fewer fit in memory (which the out-of-memory
#: error then says, sizes included); past NumPy's index type the error would name no
#: option at all.
MAX_LAYER_SIZE = 2**31 - 1


class IntList(click.ParamType):
    """Comma-separated positive integers such as ``64,32``; ``""`` or ``none`` is empty."""

    name = "N,N,..."

    def __init__(self, allow_empty: bool = True) -> None:
        self.allow_empty = allow_empty

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[int, ...]:
        if isinstance(value, tuple):
            return value
        text = str(value).strip()
        if text.lower() in ("", "none") and self.allow_empty:
            return ()
        parts = [part.strip() for part in text.split(",")]
        if not all(re.fullmatch("[0-9]+", part) and int(part) > 0 for part in parts):
            self.fail(
                f"expected comma-separated positive integers such as 64,32; got {value!r}",
                param,
                ctx,
            )
        if max(int(part) for part in parts) > MAX_LAYER_SIZE:
            self.fail(f"a layer of more than {MAX_LAYER_SIZE} units cannot be stored; got "
                      f"{value!r}", param, ctx)
        return tuple(int(part) for part in parts)


class NameList(click.ParamType):
    """Comma-separated column names or indices such as ``id,date`` or ``0,3``, or one
    column's whole name that holds a comma.

    The value is kept as given: only the file's columns tell ``a,b`` the name from the
    list (:func:`lucidnet._cli_columns.columns_named` splits it).
    """

    name = "COL,COL,..."

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        text = str(value)
        if not all(part.strip() for part in text.split(",")):
            self.fail(f"expected comma-separated column names or indices; got {value!r}",
                      param, ctx)
        return text


def _given_once(ctx: Any, param: Any, values: tuple[str, ...]) -> str | None:
    """The value of a ``multiple=True`` option that may be given once: click would keep
    the last of a repeated option silently, and a second ``train --target`` read so
    trained on the first as a feature."""
    if len(values) > 1:
        raise click.BadParameter(f"given {len(values)} times "
                                 f"({', '.join(map(repr, values))}); give one, or several "
                                 f"columns as one list: {param.opts[0]} "
                                 f"{shlex.quote(','.join(values))}", ctx=ctx, param=param)
    return values[0] if values else None


class FiniteFloatRange(click.FloatRange):
    """A ``click.FloatRange`` that also refuses ``nan`` and ``inf`` (which compare
    false with every bound, or pass an open one)."""

    def convert(self, value: Any, param: Any, ctx: Any) -> float:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


class RegistryChoice(click.Choice):
    """A choice among a registry's names, looked up when first needed.

    The names come from the registry itself (never a copy kept here), so a name
    registered by the user is accepted too.
    """

    def __init__(self, names: Callable[[], Sequence[str]]) -> None:
        self._names = names
        super().__init__((), case_sensitive=True)

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        return tuple(self._names())

    @choices.setter
    def choices(self, value: Any) -> None:  # click.Choice.__init__ assigns it
        pass


def _hidden_activation_names() -> tuple[str, ...]:
    # Softmax couples a layer's units; as a hidden activation it only hurts training.
    return tuple(name for name in activations.names() if activations.get(name).elementwise)


def _optimizer_names() -> tuple[str, ...]:
    from . import optimizers  # the training layer's registry; light (NumPy only)

    return tuple(optimizers.names())


def _dataset_names() -> tuple[str, ...]:
    from . import datasets

    return tuple(datasets.NAMES)


# ---------------------------------------------------------------- error handling
def _fail(message: str, status: int = USAGE_ERROR) -> None:
    """Print ``error: message`` as one line on stderr and exit with ``status``."""
    from ._cli_report import command_line_words
    from ._cli_spool import shown

    one_line = " ".join(shown(command_line_words(str(message))).split())
    click.echo(f"error: {one_line}", err=True)
    sys.exit(status)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``) and exit."""
    try:
        status = cli.main(args=argv, prog_name="lucidnet", standalone_mode=False)
    except SystemExit as exc:
        # click ends a command whose stdout's reader went away (| head) with status 1,
        # ours for a failed training: give it a writer's SIGPIPE status instead.
        # (click 8.4 names its wrapper of the closed stdout PacifyFlushWrapper, 8.5
        # _PacifyFlushWrapper.)
        if exc.code == 1 and type(sys.stdout).__name__.endswith("PacifyFlushWrapper"):
            from ._cli_output import BROKEN_PIPE_STATUS

            sys.exit(BROKEN_PIPE_STATUS)
        raise
    except click.exceptions.NoArgsIsHelpError as exc:
        # `lucidnet` alone (or a group without a command): the help, as --help shows it.
        click.echo(exc.ctx.get_help())
        sys.exit(0)
    except click.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        _fail(exc.format_message() + hint, exc.exit_code)
    except click.ClickException as exc:
        _fail(exc.format_message(), exc.exit_code)
    except click.Abort:
        _fail("interrupted", 130)
    except StoppedByUser:
        sys.exit(130)  # the command's own note has said what was stopped and kept
    except DivergenceError as exc:
        if exc.learning_rate is None:  # L-BFGS: no rate to blame
            advice = f"; try to {exc.advice}" if exc.advice else ""
            _fail(f"{exc.where}{advice}; no model was written", FAILURE)
        advice = f", or {exc.advice}" if exc.advice else ""
        _fail(f"{exc.where} (--lr {exc.learning_rate:g}); try a smaller --lr{advice}; no model "
              "was written", FAILURE)
    except (LucidnetError, ValueError) as exc:
        # LucidnetError covers DataError and ModelFileError; ValueError is what the
        # library's argument checks raise for values a user passed on the command line.
        _fail(str(exc))
    except OSError as exc:
        _fail(_describe_os_error(exc))
    except MemoryError as exc:
        # NumPy's message says how much and for what shape (a --hidden too wide, say).
        _fail(f"out of memory: {exc or 'an allocation failed'}", FAILURE)
    sys.exit(status if isinstance(status, int) else 0)


def _describe_os_error(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}"


def _readable_data(command: Callable[..., None]) -> Callable[..., None]:
    """Run ``command`` with its DATA argument ``-`` or its file in another
    ``--encoding`` replaced by a file the readers take (see :mod:`lucidnet._cli_spool`)."""
    import functools

    @functools.wraps(command)
    def run(**options: Any) -> None:
        from ._cli_spool import readable

        encoding = options.pop("encoding")
        if options.get("dataset") is not None:  # no DATA to read: the command says so
            if encoding is not None and options["data"] is None:
                raise click.UsageError("--encoding is about a DATA file's text; --dataset "
                                       "has none")
            command(**options)
            return
        with readable(options["data"], encoding) as data:
            command(**{**options, "data": data})

    return run


def _limited_threads(command: Callable[..., None]) -> Callable[..., None]:
    """Add ``--threads N`` to ``command``: its matrix products (the BLAS pools of NumPy
    and SciPy) run on at most N threads meanwhile, through threadpoolctl.  By default
    BLAS takes every core, which is fastest on an idle machine; beside other busy
    processes (several trainings at once) its threads wait for one another's cores,
    and one thread each is faster."""
    import functools

    @click.option("--threads", type=click.IntRange(min=1), default=None, metavar="N",
                  help="Run the matrix products on at most N threads (1 for each of "
                       "several runs at once).  [default: one per core]")
    @functools.wraps(command)
    def run(*, threads: int | None, **options: Any) -> None:
        if threads is None:
            command(**options)
            return
        import scipy.linalg.blas  # noqa: F401  (loaded now: the limit covers loaded pools)
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=threads):
            command(**options)

    return run


def _checked_encoding(ctx: click.Context, param: click.Parameter, value: str | None
                      ) -> str | None:
    from ._cli_spool import check_encoding

    try:
        return check_encoding(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


_encoding_option = click.option(
    "--encoding", default=None, callback=_checked_encoding, metavar="NAME",
    help="The text encoding of DATA (cp1251, shift_jis, gb18030, ...; any Python "
         "codec).  [default: UTF-8, else read as Windows-1252 with a note]")


class _Command(click.Command):
    """A command whose options that take a value refuse another of its options as it.

    click gives ``--resume --out m.npz`` the value "--out" and then reports "m.npz" as
    an unexpected argument, far from the option that lacks its value."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        options = [param for param in self.get_params(ctx) if isinstance(param, click.Option)]
        names = {name for option in options for name in (*option.opts, *option.secondary_opts)}
        # Each name of an option that takes a value -> its longest ("-t" -> "--target"),
        # for the advice: "-t=x" would give -t the value "=x".
        taking_values = {name: max(option.opts, key=len) for option in options
                         if not (option.is_flag or option.count) for name in option.opts}
        for word, following in itertools.pairwise(args):
            if word == "--":
                break
            if word in taking_values and following.split("=")[0] in names:
                long = word if word.startswith("--") else taking_values[word]
                raise click.UsageError(
                    f"{word} needs a value, but the next word is the option {following} (to "
                    f"give {following!r} as the value, write {long}={following})", ctx)
        words = list(args)  # click's parser consumes the list it is given
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            # "--hidden 32 16": click takes 32 and calls 16 an extra argument.
            lists = {name for option in options if isinstance(option.type, (IntList, NameList))
                     for name in option.opts}
            for word, value, extra in zip(words, words[1:], words[2:], strict=False):
                if (word in lists and "unexpected extra argument" in exc.message
                        and f"({extra})" in exc.message):
                    raise click.UsageError(
                        f"{exc.message}: {word} takes its values in one word, comma-separated "
                        f"({word} {value},{extra})", ctx) from None
            raise


# ------------------------------------------------------------------------- app
@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(version=__version__, prog_name="lucidnet", message="%(prog)s %(version)s")
def cli() -> None:
    """lucidnet: train dense neural networks on tables, from the shell.

    \b
    Examples:
      lucidnet demo                                  # train on breast_cancer, ~2 s
      lucidnet dataset breast_cancer --out bc.csv    # a real CSV to play with
      lucidnet train bc.csv --target target --out bc.npz --plot plots/
      lucidnet predict bc.npz bc.csv --proba --out proba.csv
      lucidnet evaluate bc.npz bc.csv --target target
      lucidnet info bc.npz
      lucidnet gradcheck --hidden 5,3 --activation tanh
      lucidnet explain --layers 2,3,1 --examples 3 --columns

    Errors print one line 'error: ...' and exit with status 2 (bad data, options or
    model file) or 1 (training diverged, gradients disagree); 130 after Ctrl-C, and
    141 when the reader of the output stops early (| head).
    """


cli.command_class = _Command  # every command below


# Options shared by `train` and `demo`.
def _training_options(function: Callable) -> Callable:
    options = [
        click.option("--hidden", type=IntList(), default="64,32", show_default=True,
                     help="Hidden layer sizes, comma-separated ('' for none)."),
        click.option("--activation", type=RegistryChoice(_hidden_activation_names), default="relu",
                     show_default=True, help="Hidden layers' activation."),
        click.option("--output", "output", default="auto", show_default=True,
                     type=click.Choice(["auto", "binary", "multiclass", "multilabel",
                                        "regression"]),
                     help="Task; 'auto' infers it from the target column ('multilabel': "
                          "several 0/1 target columns, each row may have any of the "
                          "labels; inferred when every target column holds only 0 and "
                          "1)."),
        click.option("--optimizer", type=RegistryChoice(_optimizer_names), default="adam",
                     show_default=True,
                     help="Optimizer ('gd': gradient descent, each step on all the training "
                          "rows unless --batch-size is given; 'sgd': on --batch-size rows)."),
        click.option("--lr", "--learning-rate", "learning_rate",
                     type=FiniteFloatRange(min=0, min_open=True),
                     default=1e-3, show_default=True, help="Learning rate."),
        click.option("--lr-schedule", "lr_schedule", default="constant", show_default=True,
                     type=click.Choice(list(LR_SCHEDULES)),
                     help="How the learning rate changes from epoch to epoch: 'cosine' "
                          "anneals it to 0 at --epochs; 'step' halves it every 10 epochs; "
                          "'exponential' multiplies it by 0.95 every epoch; 'plateau' "
                          "halves it after half --patience epochs (at least 1) without "
                          "improvement (of the validation loss with --early-stopping, else "
                          "the training loss)."),
        click.option("--momentum", type=FiniteFloatRange(0, 1, max_open=True), default=None,
                     help="Momentum of --optimizer momentum or nesterov: the fraction of the "
                          "last step kept in the next.  [default: 0.9]"),
        click.option("--epochs", type=click.IntRange(min=1), default=200, show_default=True,
                     help="Most passes over the training data."),
        click.option("--batch-size", type=click.IntRange(min=1), default=32,
                     show_default=True, help="Examples per mini-batch."),
        click.option("--alpha", "--l2", "alpha", type=FiniteFloatRange(min=0), default=1e-4,
                     show_default=True, help="L2 penalty on the weights."),
        click.option("--dropout", type=FiniteFloatRange(0, 1, max_open=True), default=0.0,
                     show_default=True,
                     help="Fraction of each hidden layer's units switched off at random in "
                          "every training step (inverted dropout: none when predicting), "
                          "against overfitting."),
        click.option("--class-weight", type=click.Choice(["balanced"]), default=None,
                     help="Classification: weigh each row by n / (classes x its class's "
                          "rows), so that every class counts alike in the loss (for rare "
                          "classes).  [default: every row alike]"),
        click.option("--validation", type=FiniteFloatRange(0, 1, max_open=True), default=0.2,
                     show_default=True,
                     help="Fraction of the training rows held out for validation (0: none)."),
        click.option("--early-stopping/--no-early-stopping", default=True, show_default=True,
                     help="Stop when the validation loss stops improving (--patience "
                          "epochs) and keep the best epoch's weights; with --validation 0: "
                          "when the training loss stops improving (last weights kept).  "
                          "lbfgs stops on its own tolerance instead."),
        click.option("--patience", type=click.IntRange(min=1), default=10, show_default=True,
                     help="Epochs without improvement before stopping early."),
        click.option("--standardize/--no-standardize", default=True, show_default=True,
                     help="Scale each numeric feature to mean 0, standard deviation 1 "
                          "(one-hot categories stay 0/1; the scaling is stored in the "
                          "model file); a regression "
                          "target is scaled so while training (costs are in those "
                          "units), and the model predicts in the target's own."),
        click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=0, show_default=True,
                     help="Random seed: same seed, same model."),
        click.option("--dtype", type=click.Choice(["float32", "float64"]), default="float32",
                     show_default=True, help="Floating-point precision."),
        click.option("--out", "out", type=click.Path(dir_okay=False, writable=False),
                     default=None, help="Write the trained model to this file (.npz)."),
        click.option("--plot", "plot_dir", type=click.Path(file_okay=False), default=None,
                     help="Write loss.png (and confusion_matrix.png, decision_boundary.png "
                          "where they apply) into this directory (needs matplotlib: the "
                          "'plot' extra)."),
        click.option("--quiet", "-q", is_flag=True,
                     help="Print only the summary table: no progress bar or per-epoch "
                          "lines (notes and warnings still go to stderr)."),
        click.option("--json", "as_json", is_flag=True,
                     help="Print the summary as JSON on stdout, nothing else."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


_header_option = click.option(
    "--header/--no-header", default=None,
    help="Whether a text file's first line names the columns.  [default: guessed; a "
         "guess that is not clear-cut is described on stderr]")


def _check_header_option(data: str | None, header: bool | None) -> None:
    """Refuse --header/--no-header where it would be ignored: only text has a first line."""
    from .data import TEXT_SUFFIXES, file_format

    if header is None:
        return
    flag = "--header" if header else "--no-header"
    if data is None:
        raise click.UsageError(f"{flag} is about a DATA file's first line; --dataset has none")
    if file_format(data) not in TEXT_SUFFIXES:
        raise click.UsageError(
            f"{flag} is for text files ({', '.join(TEXT_SUFFIXES)}); {data} is not one "
            "(array and Parquet files carry their own column layout)")


@cli.command()
@click.argument("data", required=False, type=click.Path(dir_okay=False))
@click.option("--target", "-t", multiple=True, callback=_given_once,
              help="Target column: its name, or its 0-based index (negative: from the "
                   "end); several, comma-separated (Y1,Y2), for one model predicting "
                   "them together (numbers: regression; 0/1 labels: multilabel).")
@_header_option
@_encoding_option
@click.option("--drop", type=NameList(), multiple=True,
              metavar="COL,COL,...",
              help="Columns to leave out of the features, by name or 0-based index "
                   "(an id, a date, a copy of the target); may be repeated.  A name that "
                   "holds a comma is one value of its own, given whole.")
@click.option("--one-hot/--no-one-hot", default=True, show_default=True,
              help="Encode each feature column of text (categories such as 'Biscoe', "
                   "'Dream') as one 0/1 input per category; the encoding is stored in "
                   "the model file.  --no-one-hot: text in a feature column is an error.")
@click.option("--categorical", type=NameList(), multiple=True,
              metavar="COL,COL,...",
              help="Feature columns of numeric codes to one-hot encode as categories "
                   "(a sex coded 1/2, zip codes), by name or 0-based index; may be "
                   "repeated, as --drop.  [default: only columns of text]")
@click.option("--impute", type=click.Choice(["mean", "median"]), default=None,
              help="Fill in missing numbers (blank, NA, ...) with the column's training "
                   "mean or median (--test-size rows left out), in training and in rows "
                   "to predict.  [default: a missing number is an error]")
@click.option("--dataset", type=RegistryChoice(_dataset_names), default=None,
              help="Train on a built-in data set instead of DATA (a test split is held out).")
@click.option("--test-size", type=FiniteFloatRange(0, 1, min_open=True, max_open=True),
              default=None,
              help="Fraction of rows held out as a test set, never trained on, and "
                   "scored after training (by class for classification).  [default: 0.2 "
                   "with --dataset; none for DATA]")
@_training_options
@click.option("--checkpoint-dir", type=click.Path(file_okay=False), default=None,
              help="Save a checkpoint into this directory after every epoch.")
@click.option("--resume", "resume_dir", type=click.Path(file_okay=False),
              default=None, help="Resume training from the checkpoint in this directory "
                                 "(none there yet: train from the start, checkpointing there).")
@_readable_data
@_limited_threads
def train(**options: Any) -> None:
    """Train a network on DATA (CSV, .npy, .npz or Parquet) and save it.

    Text files may be compressed: data.csv.gz, .bz2, .xz, or a .zip of one file.
    DATA '-' reads the table from stdin (any of these kinds, found by its first bytes).

    The task is inferred from the target column unless --output is given: text
    labels or a few distinct integers mean classification (binary with two
    classes), other numbers mean regression; several 0/1 target columns mean
    multilabel classification.  Numeric features are standardized
    by default, and text feature columns one-hot encoded (0/1, unscaled).  The
    model is written to --out only when training succeeded.

    \b
    Examples:
      lucidnet train data.csv --target label --out model.npz
      lucidnet train data.csv --target 0 --hidden 32 --epochs 50 --validation 0.1
      lucidnet train penguins.csv --target species --drop id --impute median
      lucidnet train prices.parquet --target price --output regression --out m.npz
      lucidnet train energy.csv --target heating,cooling --out loads.npz
      lucidnet train news.csv --target sports,politics,tech --out tags.npz
      lucidnet train data.csv --target y --lr 0.01 --lr-schedule cosine --dropout 0.2
      lucidnet train --dataset digits --hidden 64 --plot plots/ --json
    """
    from . import _cli_train
    from ._cli_output import stopped_after_saving

    if options["dataset"] is None and options["data"] is None:
        raise click.UsageError("give a DATA file (with --target) or --dataset NAME")
    if options["dataset"] is not None and options["data"] is not None:
        raise click.UsageError("give either a DATA file or --dataset NAME, not both")
    _check_header_option(options["data"], options["header"])
    if options["data"] is None:
        # Options about a file's columns would be silently ignored on a built-in set.
        if options["drop"]:
            raise click.UsageError("--drop leaves out columns of a DATA file; --dataset has none")
        if options["target"] is not None:
            raise click.UsageError("--target names a DATA file's label column; a --dataset "
                                   "has its own")
        if options["impute"] is not None:
            raise click.UsageError("--impute fills in a DATA file's missing numbers; a "
                                   "--dataset has none")
        if options["categorical"]:
            raise click.UsageError("--categorical encodes columns of a DATA file; a "
                                   "--dataset has its own features")
    if options["categorical"] and not options["one_hot"]:
        raise click.UsageError("--categorical one-hot encodes its columns; it cannot go with "
                               "--no-one-hot")
    if options["test_size"] is None:  # 0: no test rows
        options["test_size"] = DEMO_TEST_SIZE if options["dataset"] is not None else 0.0
    _check_step_options(options)
    _full_batch_for_gd(options)
    summary = _cli_train.run(options)
    with stopped_after_saving(summary):
        _print_training_summary(summary, options)
    _note_reporting_only_validation(options)


@cli.command()
@click.option("--dataset", type=RegistryChoice(_dataset_names), default="breast_cancer",
              show_default=True, help="Built-in data set to train on.")
@click.option("--test-size", type=FiniteFloatRange(0, 1, min_open=True, max_open=True),
              default=DEMO_TEST_SIZE, show_default=True,
              help="Fraction of rows held out as a test set.")
@_training_options
@_limited_threads
def demo(**options: Any) -> None:
    """Train on a built-in data set and report test accuracy, in a few seconds.

    Writes nothing unless --out or --plot is given.

    \b
    Examples:
      lucidnet demo
      lucidnet demo --dataset digits --hidden 64 --epochs 50
      lucidnet demo --dataset moons --hidden 16,16 --plot plots/
    """
    from . import _cli_train
    from ._cli_output import stopped_after_saving

    options.update(data=None, target=None, checkpoint_dir=None, resume_dir=None)
    if options["output"] == "multilabel":
        raise click.UsageError("--output multilabel needs several 0/1 label columns; no "
                               "built-in data set has them (train DATA --target A,B,C)")
    _check_step_options(options)
    _full_batch_for_gd(options)
    summary = _cli_train.run(options)
    with stopped_after_saving(summary):
        _print_training_summary(summary, options)
    _note_reporting_only_validation(options)


def _given(name: str) -> bool:
    """Whether the current command's parameter ``name`` was given, not left at its
    default."""
    source = click.get_current_context().get_parameter_source(name)
    return source is not click.core.ParameterSource.DEFAULT


def _check_step_options(options: dict) -> None:
    """Refuse --lr, --batch-size, --dropout, --lr-schedule and --momentum where training
    would ignore them (or, for L-BFGS with dropout, fail only once the data is read)."""
    optimizer = options["optimizer"]
    if options["dropout"] > 0 and not options["hidden"]:
        raise click.UsageError("--dropout switches off hidden units; --hidden '' makes none")
    if optimizer == "lbfgs":
        given = [flag for flag, name in (("--lr", "learning_rate"), ("--batch-size", "batch_size"))
                 if _given(name)]
        if given:
            raise click.UsageError(f"{' and '.join(given)}: --optimizer lbfgs takes no "
                                   "learning rate or batches (its line search sizes every "
                                   "step, on all the training rows)")
        if options["dropout"] > 0:
            raise click.UsageError(
                "--dropout makes every step's cost random; --optimizer lbfgs needs the same "
                "cost at every evaluation: use a step-wise optimizer (adam, sgd, ...)")
        if options["lr_schedule"] != "constant":
            raise click.UsageError("--lr-schedule changes the learning rate; --optimizer "
                                   "lbfgs has none (its line search sizes every step)")
    if _given("momentum") and optimizer not in ("momentum", "nesterov"):
        raise click.UsageError(f"--momentum is a setting of --optimizer momentum or "
                               f"nesterov; --optimizer {optimizer} has none")


def _note_reporting_only_validation(options: dict) -> None:
    """Say so, after a fit, when the default --validation rows were held out although
    nothing stopped on them (--no-early-stopping, or lbfgs): they were only scored,
    never trained on, which a user turning early stopping off does not expect."""
    from ._cli_train import early_stopping

    if options["validation"] > 0 and not _given("validation") and not early_stopping(options):
        why = ("--no-early-stopping" if not options["early_stopping"]
               else "--optimizer lbfgs (it stops on its own tolerance)")
        print(f"note: with {why}, the default --validation {options['validation']:g} "
              "still held out that fraction of the training rows, scored every epoch but "
              "never trained on; pass --validation 0 to train on them all", file=sys.stderr)


def _full_batch_for_gd(options: dict) -> None:
    """--optimizer gd is gradient descent: every step on all the training rows, unless
    --batch-size says otherwise (the estimator then takes the rows it trains on)."""
    if options["optimizer"] == "gd" and not _given("batch_size"):
        options["batch_size"] = sys.maxsize


def _epochs_note(summary: dict, options: dict) -> str:
    """What the epoch count in the summary means."""
    if summary.get("nothing_left"):
        return " (the checkpoint's; nothing was left to train)"
    if summary["stopped_early"]:
        return " (stopped early)"
    if options["optimizer"] == "lbfgs" and summary.get("converged", True):
        return " (converged)"
    if not summary.get("converged", True):
        if not options["early_stopping"] and options["optimizer"] != "lbfgs":
            # (L-BFGS stops on its own tolerance: its limit is "still improving".)
            return " (the limit: every epoch runs without --early-stopping)"
        if options["optimizer"] in ("sgd", "gd"):
            # Plain gradient steps at Adam's default rate crawl: the rate is the lever.
            return " (the limit; still improving: raise --epochs or --lr)"
        return " (the limit; still improving: raise --epochs)"
    return ""


def _print_training_summary(summary: dict, options: dict) -> None:
    from ._cli_report import format_table, metric_rows, to_json

    if options["as_json"]:
        click.echo(to_json(summary))
        return
    rows = [
        ("data", summary["data"]),
        ("task", summary["task"] + (f" ({len(summary['classes'])} classes)"
                                    if summary.get("classes") else "")),
        ("network", summary["network"]),
        ("examples", ", ".join(f"{k} {v}" for k, v in summary["examples"].items())),
        ("epochs", f"{summary['epochs']}" + _epochs_note(summary, options)),
        # The whole command (loading, training, evaluating, plots) and the fit alone.
        ("time", f"{summary['seconds']:.2f} s, of which training "
                 f"{summary['train_seconds']:.2f} s"),
    ]
    for split, metrics in summary["metrics"].items():
        rows.extend(metric_rows(metrics, f"{split} ", skip=("confusion_matrix", "labels")))
    rows.append(("model", summary["model"] or "not saved (pass --out FILE to keep it)"))
    for name, path in summary.get("plots", {}).items():
        rows.append((f"plot {name}", path))
    click.echo(format_table(rows))


@cli.command()
@click.argument("model", type=click.Path(dir_okay=False))
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write the CSV here instead of to stdout (.tsv: tab-separated; "
                   ".csv.gz etc.: compressed).")
@click.option("--proba", is_flag=True,
              help="One column of probabilities per class instead of the predicted label.")
@click.option("--target", "-t", multiple=True, callback=_given_once,
              help="A column of DATA to leave out (e.g. the labels of a labelled file).")
@click.option("--keep", type=NameList(), multiple=True,
              metavar="COL,COL,...",
              help="Columns of DATA to copy into the output before the predictions, as "
                   "written (an id, to join them back), by name or 0-based index; may be "
                   "repeated.  A name that holds a comma is one value of its own, given "
                   "whole.")
@_header_option
@_encoding_option
@_readable_data
@_limited_threads
def predict(model: str, data: str, out: str | None, proba: bool, target: str | None,
            keep: tuple[str, ...], header: bool | None) -> None:
    """Predict with MODEL for every row of DATA ('-': stdin); write a CSV with a header.

    DATA's columns are matched to the model's features by name when both have names
    (other columns, such as an id, are left out; said on stderr), else by position.
    The column the model was trained to predict is left out when DATA holds it.

    \b
    Examples:
      lucidnet predict model.npz new.csv > predictions.csv
      lucidnet predict model.npz new.csv --proba --out proba.csv
      lucidnet predict model.npz labelled.csv --target label
      lucidnet predict model.npz test.csv --keep Id --out submission.csv
      zcat new.csv.gz | lucidnet predict model.npz - > predictions.csv
    """
    from ._cli_model import kept_column_names, load_bundle, read_features, read_kept_columns
    from ._cli_output import check_output, with_leading_columns, write_csv

    _check_header_option(data, header)
    check_output(out, "--out", inputs=[model, data], text=True)
    bundle = load_bundle(model)
    if keep:
        # An unknown column fails before any note (read_kept_columns notes, below).
        kept_column_names(data, keep, header, note=False)
    table = read_features(bundle, data, target, header=header)
    columns, values = bundle.predict_columns(table.features, proba=proba)
    if keep:
        kept_names, kept = read_kept_columns(data, keep, table.header, table.n_samples)
        columns, values = with_leading_columns(kept_names, kept, columns, values)
    write_csv(out, values, columns)


@cli.command()
@click.argument("model", type=click.Path(dir_okay=False))
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--target", "-t", multiple=True, callback=_given_once,
              help="The column with the true values (several, comma-separated, for a "
                   "model trained on several); by default the model's own target "
                   "column(s) when DATA holds them, and an .npz file's 'y'.")
@_header_option
@_encoding_option
@click.option("--importance", is_flag=True,
              help="Also rank DATA's feature columns by permutation importance: the drop "
                   "of the score (accuracy, or R^2) when one column's values are shuffled "
                   "among the rows, averaged over --repeats shuffles.")
@click.option("--repeats", type=click.IntRange(min=1), default=5, show_default=True,
              help="Shuffles per column for --importance.")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=0, show_default=True,
              help="Random seed of --importance's shuffles.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@_readable_data
@_limited_threads
def evaluate(model: str, data: str, target: str | None, header: bool | None,
             importance: bool, repeats: int, seed: int, as_json: bool) -> None:
    """Score MODEL on the labelled rows of DATA ('-': stdin).

    Classification: accuracy, macro precision / recall / F1 (each class counts
    equally) and the confusion matrix.  Regression: R^2, RMSE and MAE; for a model of
    several targets, each target's too, and overall the mean of their R^2 and the
    RMSE and MAE of every value.

    With --importance, each feature column's permutation importance too: how much
    the score drops when its values are shuffled among the rows (a text column is
    shuffled whole).

    \b
    Examples:
      lucidnet evaluate model.npz test.csv --target label
      lucidnet evaluate model.npz test.csv --target 4 --json
      lucidnet evaluate model.npz test.csv --target label --importance
    """
    from ._cli_model import load_bundle, read_features
    from ._cli_report import format_confusion, format_table, metric_rows, to_json
    from ._cli_spool import shown

    given = [f"--{name}" for name in ("repeats", "seed") if _given(name)]
    if given and not importance:
        raise click.UsageError(f"{' and '.join(given)}: settings of --importance, which "
                               "was not asked for")
    _check_header_option(data, header)
    bundle = load_bundle(model)
    table = read_features(bundle, data, target, require_target=True, header=header)
    metrics = bundle.evaluate(table.features, table.target, source=data, header=table.header)
    ranked = None
    if importance:
        from ._cli_importance import permutation_importances

        ranked = permutation_importances(bundle, table.features, table.target,
                                         table.feature_names, source=data,
                                         header=table.header, repeats=repeats, seed=seed)
    if as_json:
        click.echo(to_json({"model": model, "data": shown(data), "n_samples": table.n_samples,
                            "task": bundle.task, **metrics,
                            **({} if ranked is None else {"importance": ranked})}))
        return
    rows = metric_rows(metrics, skip=("confusion_matrix", "labels", "unseen_labels",
                                      "absent_labels", "unseen_spelled_otherwise"))
    click.echo(format_table([("examples", table.n_samples), *rows]))
    if metrics.get("unseen_labels"):
        from ._cli_model import SPELLED_OTHERWISE

        click.echo(
            "note: labels the model was not trained on (every such row counts as an "
            f"error): {', '.join(map(str, metrics['unseen_labels']))}"
            + (f"; {SPELLED_OTHERWISE}" if metrics["unseen_spelled_otherwise"] else "")
        )
    if metrics.get("absent_labels"):
        absent = metrics["absent_labels"]
        click.echo(
            f"note: {shown(data)} has no rows of class{'es' if len(absent) > 1 else ''} "
            f"{', '.join(map(str, absent))}; the macro averages are over the classes it holds "
            "or that were predicted, as scikit-learn's are (accuracy is unaffected)"
        )
    if "confusion_matrix" in metrics:
        click.echo("\nconfusion matrix (rows: true class, columns: predicted)")
        click.echo(format_confusion(metrics["confusion_matrix"], metrics["labels"]))
    if ranked is not None:
        metric = ranked["metric"].replace("_", " ")
        click.echo(f"\npermutation importance: the drop of {metric} when a column is "
                   f"shuffled ({ranked['repeats']} shuffles; mean and standard deviation)")
        click.echo(format_table([(name, f"{drop['mean']:.4f}", f"{drop['std']:.4f}")
                                 for name, drop in ranked["columns"].items()],
                                header=["column", "mean", "std"]))


@cli.command()
@click.argument("model", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the description as JSON.")
def info(model: str, as_json: bool) -> None:
    """Describe a model file: architecture, classes, features, training settings.

    \b
    Examples:
      lucidnet info model.npz
      lucidnet info model.npz --json
    """
    from ._cli_model import load_bundle
    from ._cli_report import format_table, to_json

    bundle = load_bundle(model, with_data=False)
    description = bundle.describe()
    if as_json:
        click.echo(to_json(description))
        return
    rows = [(key, _short(value)) for key, value in description.items()
            if key not in ("summary", "training", "unused_settings")]
    click.echo(format_table(rows))
    training = description.get("training")
    if training:
        unused = description["unused_settings"]
        click.echo("\ntraining settings")
        click.echo(format_table([(k, _short(v)) for k, v in training.items()
                                 if k not in unused]))
        if unused:
            click.echo(f"not used by solver {training.get('solver')}: {', '.join(unused)}")
    click.echo("\n" + description["summary"])


def _short(value: Any, limit: int = 12) -> str:
    """Lists shortened to their first ``limit`` items, for one-line table cells."""
    if isinstance(value, (list, tuple)):
        texts = [str(item) for item in value]
        if any(", " in text or text != text.strip() or not text.isprintable() or not text
               for text in texts):
            # Quoted, all of them: 'barolo, red' would read as two names, ' x' as 'x'.
            texts = [repr(item) if isinstance(item, str) else text
                     for item, text in zip(value, texts, strict=True)]
        shown = ", ".join(texts[:limit])
        return shown + (f", ... ({len(value)} in all)" if len(value) > limit else "")
    if isinstance(value, dict):  # one-hot columns: each with its categories
        return "; ".join(f"{key} ({_short(item, limit)})" for key, item in value.items()) or "-"
    return "-" if value is None else str(value)  # none recorded (a regressor's classes)


@cli.command()
@click.argument("name", type=RegistryChoice(_dataset_names), metavar="NAME")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write the CSV here instead of to stdout (.tsv: tab-separated; "
                   ".csv.gz etc.: compressed).")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=0, show_default=True,
              help="Seed of the generated sets (moons, circles, planar).")
def dataset(name: str, out: str | None, seed: int) -> None:
    """Write a built-in data set as CSV: the features, then a 'target' column.

    Class labels are written as their names (e.g. malignant / benign), so the file
    also shows how text labels work.  linnerud's three targets come last under their
    names (Weight, Waist, Pulse).

    \b
    Examples:
      lucidnet dataset breast_cancer --out breast_cancer.csv
      lucidnet dataset moons --seed 1 > moons.csv
      lucidnet dataset linnerud --out linnerud.csv
    """
    from ._cli_data import dataset_rows
    from ._cli_output import check_output, write_csv

    check_output(out, "--out", text=True)
    header, rows = dataset_rows(name, seed)
    write_csv(out, rows, header)


@cli.command()
@click.option("--hidden", type=IntList(), default="5,3", show_default=True,
              help="Hidden layer sizes, comma-separated ('' for none).")
@click.option("--inputs", type=click.IntRange(min=1), default=4, show_default=True,
              help="Number of input features.")
@click.option("--outputs", type=click.IntRange(min=1), default=3, show_default=True,
              help="Number of output units.")
@click.option("--examples", type=click.IntRange(min=1), default=8, show_default=True,
              help="Number of random examples.")
@click.option("--activation", type=RegistryChoice(activations.names), default="tanh",
              show_default=True, help="Hidden layers' activation.")
@click.option("--output-activation", type=RegistryChoice(activations.names), default=None,
              help="Output activation [default: the loss's natural one].")
@click.option("--loss", type=RegistryChoice(losses.names), default=None,
              help="Loss [default: the output activation's natural one, else "
                   "binary_cross_entropy].")
@click.option("--no-bias", is_flag=True, help="Layers without biases.")
@click.option("--l2", type=FiniteFloatRange(min=0), default=0.0, show_default=True,
              help="Check the L2-penalized cost's gradient.")
@click.option("--dtype", type=click.Choice(["float32", "float64"]), default="float64",
              show_default=True, help="The network's dtype (the check itself runs in float64).")
@click.option("--epsilon", type=FiniteFloatRange(min=0, min_open=True), default=1e-7,
              show_default=True, help="Step of the central differences.")
@click.option("--threshold", type=FiniteFloatRange(min=0, min_open=True), default=1e-7,
              show_default=True, help="Pass when the relative difference is below this.")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=0, show_default=True,
              help="Random seed.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def gradcheck(**options: Any) -> None:
    """Check backpropagation against central differences on a small random network.

    Prints the relative difference ||g - g_num|| / (||g|| + ||g_num||) for every
    parameter array; exits 0 when the overall one is below --threshold, else 1.

    \b
    Examples:
      lucidnet gradcheck --hidden 5,3
      lucidnet gradcheck --hidden 4 --activation sigmoid --loss sum_squared_error --no-bias
      lucidnet gradcheck --hidden 5 --output-activation softmax --outputs 4 --json
    """
    from ._cli_gradcheck import gradcheck_report
    from ._cli_report import format_table, to_json

    report = gradcheck_report(options)
    if options["as_json"]:
        click.echo(to_json(report))
    else:
        click.echo(f"network {report['network']} ({', '.join(report['activations'])}; "
                   f"{report['loss']}), {report['examples']} random examples, "
                   f"epsilon {report['epsilon']:g}")
        # Each array against the threshold too, as a pointer to where a wrong gradient
        # is; the verdict is the overall ratio's (the course's rule).
        rows = [(p["name"], p["shape"], f"{p['relative_difference']:.3e}",
                 "ok" if p["relative_difference"] < report["threshold"] else "high")
                for p in report["parameters"]]
        click.echo(format_table(rows, header=["array", "shape", "relative difference",
                                              "array alone"]))
        verdict = "passed" if report["passed"] else "FAILED"
        click.echo(f"overall {report['relative_difference']:.3e}: {verdict} "
                   f"(threshold {report['threshold']:g})")
        if report["passed"] and any(row[3] == "high" for row in rows):
            click.echo("note: an array marked high is above the threshold on its own: its "
                       "gradients are small, so rounding in the central differences weighs "
                       "more there; a wrong gradient gives far larger ones (an error of 5% "
                       "in one array: about 1e-2)")
    if not report["passed"]:
        sys.exit(FAILURE)


@cli.command()
@click.option("--layers", type=IntList(allow_empty=False), default="2,3,1", show_default=True,
              help="Layer sizes n[0],...,n[L], inputs first.")
@click.option("--examples", "-m", type=click.IntRange(min=1), default=3, show_default=True,
              help="Number of examples m in the batch.")
@click.option("--columns", is_flag=True,
              help="Shapes with examples as columns, as in the reference material.")
@click.option("--activation", type=RegistryChoice(activations.names), default=None,
              help="Name the hidden activation (default: g).")
@click.option("--output-activation", type=RegistryChoice(activations.names), default=None,
              help="Name the output activation (needs --activation; default: the loss's "
                   "natural one, else sigmoid).")
@click.option("--loss", type=RegistryChoice(losses.names), default=None,
              help="Name the loss (needs --activation; default: the output activation's "
                   "natural one).")
@click.option("--no-bias", is_flag=True, help="Layers without biases (needs --activation).")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
def explain(layers: tuple[int, ...], examples: int, columns: bool, activation: str | None,
            output_activation: str | None, loss: str | None, no_bias: bool,
            as_json: bool) -> None:
    """Print the variable table of backpropagation: every quantity and its shape.

    \b
    Examples:
      lucidnet explain --layers 2,3,1 --examples 3
      lucidnet explain --layers 4,5,3 --columns --activation tanh --loss categorical_cross_entropy
      lucidnet explain --activation sigmoid --output-activation sigmoid --loss sum_squared_error \\
          --no-bias
    """
    from .explain import explain as explain_table
    from .network import Network

    if len(layers) < 2:
        raise click.BadParameter("give at least two sizes, inputs and outputs",
                                 param_hint="--layers")
    for given, name in ((loss, "--loss"), (output_activation, "--output-activation"),
                        (no_bias or None, "--no-bias")):
        if given is not None and activation is None:
            raise click.UsageError(f"{name} needs --activation")
    target: Any = layers
    if activation is not None:
        target = Network(list(layers), activation=activation,
                         output_activation=output_activation, loss=loss,
                         use_bias=not no_bias)
    table = explain_table(target, examples, columns=columns)
    if as_json:
        from ._cli_report import to_json

        click.echo(to_json({"layer_sizes": list(table.layer_sizes), "examples": table.examples,
                            "convention": table.convention, "rows": table.to_dicts()}))
    else:
        click.echo(str(table))
