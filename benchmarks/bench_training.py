"""How fast is bpcourse.gradient_descent next to the lecture's hand-written loop?

Both train the lecture's 2-4-1 sigmoid network on its 500 points for 1000
epochs, recording the loss at every epoch. The two are run alternately in
this one process: in each of ROUNDS rounds each runs REPEAT times, in turns,
and the round's ratio is that of their fastest runs; the median of the
rounds' ratios is printed (below 1.0 means bpcourse is faster). If PyTorch is
installed, a third contender does the same with CPU autograd; otherwise it is
skipped.

    python benchmarks/bench_training.py [--rounds 21] [--repeat 3] [--epochs 1000]

No number here is a pass/fail test: machines are noisy, so only ratios
measured in the same process are reported. Each time is the process's CPU
time (``time.process_time``), which other programs sharing the machine
disturb less than the wall clock does. Even so, on a shared machine the same
run takes either its usual time or up to about 1.7 times as long, whichever
way the machine happens to be busy at that moment; a ratio of two single
runs then measures that as much as the code. The fastest of a few runs of
each, as ``timeit`` recommends, is the least disturbed one.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import bpcourse


def hand_written(X, y, W1, b1, W2, b2, epochs, learning_rate=0.1):
    """The lecture's loop: sigmoid layers, MSE logged, half-SSE gradient."""
    W1, b1, W2, b2 = W1.copy(), b1.copy(), W2.copy(), b2.copy()

    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    losses = np.empty(epochs)
    for epoch in range(epochs):
        hidden = sigmoid(np.dot(X, W1) + b1)
        output = sigmoid(np.dot(hidden, W2) + b2)
        losses[epoch] = np.mean((y - output) ** 2)
        d_output = (output - y) * (output * (1 - output))
        d_hidden = np.dot(d_output, W2.T) * (hidden * (1 - hidden))
        W2 -= learning_rate * np.dot(hidden.T, d_output)
        b2 -= learning_rate * np.sum(d_output, axis=0)
        W1 -= learning_rate * np.dot(X.T, d_hidden)
        b1 -= learning_rate * np.sum(d_hidden, axis=0)
    return losses


def with_bpcourse(X, y, net, epochs):
    # losses[k] is the loss after k epochs; the lecture logs epochs 0 to epochs - 1
    return bpcourse.gradient_descent(net.copy(), X, y, "half_sse", 0.1, epochs).losses[:-1]


def with_torch(torch, X, y, W1, W2, epochs):
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    params = [torch.tensor(W1, requires_grad=True), torch.zeros(4, dtype=torch.float64, requires_grad=True),
              torch.tensor(W2, requires_grad=True), torch.zeros(1, dtype=torch.float64, requires_grad=True)]
    losses = np.empty(epochs)
    for epoch in range(epochs):
        output = torch.sigmoid(torch.sigmoid(Xt @ params[0] + params[1]) @ params[2] + params[3])
        loss = 0.5 * ((output - yt) ** 2).sum()
        losses[epoch] = loss.item()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= 0.1 * p.grad
                p.grad = None
    return losses


def timed(function):
    start = time.process_time()
    result = function()
    return time.process_time() - start, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each contender per round (the fastest counts)")
    parser.add_argument("--epochs", type=int, default=1000)
    args = parser.parse_args()

    X, y = bpcourse.lecture_data()
    net = bpcourse.lecture_network()
    W1, W2 = net.weights[0], net.weights[1]
    b1, b2 = net.biases[0], net.biases[1]
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        torch = None

    # Same results first: a benchmark of two different computations means nothing.
    ours = with_bpcourse(X, y, net, args.epochs)
    reference = hand_written(X, y, W1, b1, W2, b2, args.epochs)
    np.testing.assert_allclose(ours * 2 / len(X), reference, atol=1e-12)

    ratios, torch_ratios = [], []
    for _ in range(args.rounds):
        t_hand, t_ours, t_torch = [], [], []
        for _ in range(args.repeat):
            t_hand.append(timed(lambda: hand_written(X, y, W1, b1, W2, b2, args.epochs))[0])
            t_ours.append(timed(lambda: with_bpcourse(X, y, net, args.epochs))[0])
            if torch is not None:
                t_torch.append(timed(lambda: with_torch(torch, X, y, W1, W2, args.epochs))[0])
        ratios.append(min(t_ours) / min(t_hand))
        if torch is not None:
            torch_ratios.append(min(t_ours) / min(t_torch))

    print(f"lecture network 2-4-1, 500 points, {args.epochs} epochs, {args.rounds} interleaved rounds "
          f"of the fastest of {args.repeat} runs each")
    print(f"bpcourse.gradient_descent / hand-written loop: median ratio {statistics.median(ratios):.2f}x "
          f"(min {min(ratios):.2f}x, max {max(ratios):.2f}x; goal <= 1.0x)")
    if torch is None:
        print("PyTorch not installed: comparison with CPU autograd skipped")
    else:
        print(f"bpcourse.gradient_descent / PyTorch {torch.__version__} CPU autograd (1 thread): "
              f"median ratio {statistics.median(torch_ratios):.2f}x")


if __name__ == "__main__":
    main()
