"""The lecture's program, written out as it runs, against bpcourse configured the same way."""

import numpy as np
import pytest

import bpcourse


def lecture_program(epochs=1000, learning_rate=0.1):
    """The lecture's algorithm step for step: global seed, data, W1, W2, then the loop."""
    np.random.seed(42)
    data = np.random.randn(500, 2)
    labels = (data[:, 0] + data[:, 1]) > 0
    W1 = np.random.randn(2, 4)
    b1 = np.zeros(4)
    W2 = np.random.randn(4, 1)
    b2 = np.zeros(1)

    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    target = labels.reshape(-1, 1)
    mse_log, parameters = [], []
    for _ in range(epochs):
        parameters.append(np.concatenate([W1.ravel(), b1, W2.ravel(), b2]))
        hidden = sigmoid(data @ W1 + b1)
        output = sigmoid(hidden @ W2 + b2)
        mse_log.append(np.mean((target - output) ** 2))
        d_output = (output - target) * output * (1 - output)
        d_hidden = (d_output @ W2.T) * hidden * (1 - hidden)
        W2 -= learning_rate * hidden.T @ d_output
        b2 -= learning_rate * d_output.sum(axis=0)
        W1 -= learning_rate * data.T @ d_hidden
        b1 -= learning_rate * d_hidden.sum(axis=0)
    parameters.append(np.concatenate([W1.ravel(), b1, W2.ravel(), b2]))
    test_data = np.array([[0.5, -0.5], [-0.5, 0.5], [0.5, 0.5], [-0.5, -0.5]])
    test_output = sigmoid(sigmoid(test_data @ W1 + b1) @ W2 + b2)
    return np.array(mse_log), np.array(parameters), (test_output > 0.5).astype(int).reshape(-1), test_output


@pytest.fixture(scope="module")
def both():
    reference = lecture_program()
    X, y = bpcourse.lecture_data()
    net = bpcourse.lecture_network()
    history = bpcourse.gradient_descent(net, X, y, "half_sse", 0.1, 1000, record_every=1)
    return reference, net, history, X, y


def test_data_and_initial_weights_are_the_lectures(both):
    (_, parameters, _, _), _, history, X, y = both
    np.random.seed(42)
    np.testing.assert_array_equal(X, np.random.randn(500, 2))
    np.testing.assert_array_equal(y.ravel(), (X[:, 0] + X[:, 1] > 0).astype(float))
    np.testing.assert_array_equal(history.snapshots[0], parameters[0])


def test_every_epoch_agrees(both):
    (mse_log, parameters, _, _), net, history, X, y = both
    assert history.stop_reason == "completed" and history.epochs_run == 1000
    assert history.snapshot_epochs == list(range(1001))
    np.testing.assert_allclose(np.array(history.snapshots), parameters, rtol=0, atol=1e-12)
    # bpcourse follows half the SSE; the lecture prints the MSE = 2 * half_sse / N
    # losses[k] is the loss after k epochs; the lecture logs epochs 0 to 999
    np.testing.assert_allclose(history.losses[:-1] * 2 / 500, mse_log, rtol=0, atol=1e-12)
    np.testing.assert_allclose(net.get_flat_parameters(), parameters[-1], rtol=0, atol=1e-12)


def test_same_test_predictions(both):
    (_, _, predictions, outputs), net, _, _, _ = both
    ours = net.forward(bpcourse.LECTURE_TEST_POINTS)
    np.testing.assert_allclose(ours.ravel(), outputs.ravel(), atol=1e-12)
    np.testing.assert_array_equal((ours > 0.5).astype(int).ravel(), predictions)
