"""How fast does bpcourse train chapter 9's digits network next to scikit-learn's MLPClassifier?

Both train a 64-32-10 network (tanh hidden units, softmax output, categorical
cross-entropy) on the same training split of the handwritten digits, with
mini-batches of 32 for 40 epochs: bpcourse with plain gradient descent at
rate 0.5 (the chapter's run), MLPClassifier with its default optimiser (Adam),
as the chapter compares them, and, as a second reference, with plain SGD at
the same rate (no momentum, no L2 penalty), which is the same algorithm as
bpcourse's. The contenders run alternately in this one process, ROUNDS times
each, and the median and range of the per-round ratios are printed (below
1.0 means bpcourse is faster).

Everything is measured twice: with the BLAS library's own number of threads,
and with one BLAS thread for all contenders (threadpoolctl, which comes with
scikit-learn). The matrices here are small, and on a busy machine the
threads' synchronisation can cost more than the arithmetic: bpcourse computes
the loss on all 1,347 training images once per epoch (one product of 1,347 x
64 by 64 x 32), which scikit-learn does not, and that product is where
threads hurt.

    python benchmarks/bench_digits.py [--rounds 11]

No number here is a pass/fail test: machines are noisy, so only ratios
measured in the same process are reported.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

from threadpoolctl import threadpool_limits

import bpcourse

EPOCHS, BATCH_SIZE, RATE = 40, 32, 0.5


def with_bpcourse(X, y, X_test, y_test):
    net = bpcourse.MLP((64, 32, 10), ["tanh", "softmax"], seed=0, init="glorot")
    bpcourse.gradient_descent(net, X, y, "categorical_cross_entropy", RATE, EPOCHS, batch_size=BATCH_SIZE, seed=0)
    return bpcourse.accuracy(net.forward(X_test), y_test)


def with_sklearn(X, y, X_test, y_test, **settings):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    model = MLPClassifier((32,), activation="tanh", batch_size=BATCH_SIZE, max_iter=EPOCHS, tol=0.0,
                          n_iter_no_change=10 * EPOCHS, random_state=0, **settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # stopping after EPOCHS epochs is the plan
        model.fit(X, y.argmax(axis=1))
    assert model.n_iter_ == EPOCHS
    return model.score(X_test, y_test.argmax(axis=1))


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args()

    data = bpcourse.digits_data(seed=0)
    contenders = {
        "MLPClassifier (Adam, its defaults)": lambda: with_sklearn(*data),
        "MLPClassifier (plain SGD, rate 0.5)": lambda: with_sklearn(*data, solver="sgd", learning_rate_init=RATE,
                                                                    momentum=0.0, alpha=0.0),
    }
    print(f"digits 64-32-10, {len(data[0])} training images, batches of {BATCH_SIZE}, {EPOCHS} epochs, "
          f"{args.rounds} interleaved rounds")
    for threads in ("BLAS default", 1):
        ratios = {name: [] for name in contenders}
        accuracies = {}
        with threadpool_limits(limits=None if threads == "BLAS default" else threads, user_api="blas"):
            for _ in range(args.rounds):
                t_ours, accuracies["bpcourse"] = timed(lambda: with_bpcourse(*data))
                for name, run in contenders.items():
                    t_theirs, accuracies[name] = timed(run)
                    ratios[name].append(t_ours / t_theirs)
        print(f"BLAS threads: {threads}")
        print("  test accuracy: " + ", ".join(f"{name} {value:.1%}" for name, value in accuracies.items()))
        for name, values in ratios.items():
            print(f"  bpcourse.gradient_descent / {name}: median ratio {statistics.median(values):.2f}x "
                  f"(min {min(values):.2f}x, max {max(values):.2f}x; goal <= 1.0x)")


if __name__ == "__main__":
    main()
