"""Handwritten digits for chapter 9: the data, one-hot targets and accuracy.

The images are scikit-learn's bundled copy of the UCI "Optical Recognition of
Handwritten Digits" set: 1,797 scanned digits, each reduced to 8 x 8 pixels
whose values count the ink in a 4 x 4 block of the scan, 0 to 16. scikit-learn installs them with the
package, so nothing is downloaded.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_count, check_real, show_value

__all__ = ["N_CLASSES", "digits_data", "one_hot", "accuracy", "confusion_matrix"]

N_CLASSES = 10
"""Number of classes of the digits data: the digits 0 to 9."""

MAX_CLASSES = 10_000
"""Most classes :func:`one_hot` and :func:`confusion_matrix` accept (a guard against a typo)."""


def one_hot(labels, n_classes=N_CLASSES):
    """Targets with one column per class: 1 in the column of the label, 0 elsewhere.

    Parameters
    ----------
    labels : array_like of int, shape (n_samples,)
        Class numbers ``0 ... n_classes - 1``.
    n_classes : int
        Number of columns.

    Returns
    -------
    ndarray of shape (n_samples, n_classes)

    Raises
    ------
    TypeError, ValueError
        If ``labels`` are not whole numbers in ``[0, n_classes)``.

    Examples
    --------
    >>> import bpcourse
    >>> bpcourse.one_hot([2, 0], 3).tolist()
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    n_classes = check_count(n_classes, "n_classes", minimum=2, maximum=MAX_CLASSES)
    return np.eye(n_classes)[_classes(as_float_array(labels, "labels", ndim=1), n_classes, "labels")]


def digits_data(seed=0, test_fraction=0.25):
    """The handwritten digits, split into training and test sets with the same share of every digit.

    The split is scikit-learn's ``train_test_split`` with ``stratify``: each
    digit keeps its share in both sets, and the rows are shuffled.

    Parameters
    ----------
    seed : int
        Seed of the random split (scikit-learn's ``random_state``).
    test_fraction : float
        Share of each digit's images kept for testing, in (0, 1).

    Returns
    -------
    X_train : ndarray of shape (n_train, 64)
        Pixel values scaled to [0, 1]; row ``i`` reshaped to (8, 8) is the image.
    y_train : ndarray of shape (n_train, 10)
        One-hot targets.
    X_test : ndarray of shape (n_test, 64)
    y_test : ndarray of shape (n_test, 10)

    Raises
    ------
    TypeError, ValueError
        For a seed that is not a non-negative integer or a fraction outside (0, 1).

    Examples
    --------
    >>> import bpcourse
    >>> X_train, y_train, X_test, y_test = bpcourse.digits_data(seed=0)
    >>> X_train.shape, y_train.shape, X_test.shape, y_test.shape
    ((1347, 64), (1347, 10), (450, 64), (450, 10))
    """
    seed = check_real(seed, "seed", integer=True, non_negative=True, maximum=2**32 - 1)
    test_fraction = check_real(test_fraction, "test_fraction")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1 (exclusive); got {show_value(test_fraction)}")
    from sklearn.datasets import load_digits  # imported here: only chapter 9 needs scikit-learn
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    images, labels = digits.data / 16.0, digits.target  # ink counts 0..16 -> [0, 1]
    X_train, X_test, labels_train, labels_test = train_test_split(
        images, labels, test_size=test_fraction, stratify=labels, random_state=seed)
    return X_train, one_hot(labels_train), X_test, one_hot(labels_test)


def _classes(values, n_classes, argument):
    """``values`` (a 1-D float array) as integer classes, if they are whole numbers from 0 to ``n_classes - 1``."""
    wrong = (values != np.round(values)) | (values < 0) | (values >= n_classes)
    if wrong.any():
        raise ValueError(f"{argument} must be whole numbers from 0 to {n_classes - 1}; found "
                         f"{show_value([float(v) for v in np.unique(values[wrong])])}")
    return values.astype(int)


def _labels(values, argument):
    """Class numbers from scores or one-hot rows (2-D: the largest column) or from labels (1-D)."""
    array = as_float_array(values, argument, ndim=(1, 2))
    if array.ndim == 2 and array.shape[1] >= 2:
        return np.argmax(array, axis=1).astype(float)
    if array.ndim == 1:
        return array
    raise ValueError(f"{argument} must be labels of shape (n_samples,) or one row per sample of shape "
                     f"(n_samples, n_classes); got shape {array.shape}")


def accuracy(y_hat, y):
    """Share of samples whose predicted class (the largest output) is the true class.

    Parameters
    ----------
    y_hat : array_like of shape (n_samples, n_classes), or labels of shape (n_samples,)
        The network's outputs (or predicted labels).
    y : array_like of shape (n_samples, n_classes), or labels of shape (n_samples,)
        One-hot targets (or true labels).

    Returns
    -------
    float
        In [0, 1].

    Raises
    ------
    TypeError, ValueError
        If the arguments are not arrays of numbers or hold different numbers of samples.

    Examples
    --------
    >>> import bpcourse
    >>> bpcourse.accuracy([[0.9, 0.1], [0.8, 0.2]], [[1, 0], [0, 1]])
    0.5
    """
    predicted, true = _labels(y_hat, "y_hat"), _labels(y, "y")
    if predicted.shape != true.shape:
        raise ValueError(f"y_hat and y must describe the same number of samples; got shapes "
                         f"{np.shape(y_hat)} and {np.shape(y)}")
    return float(np.mean(predicted == true))


def confusion_matrix(y_hat, y, n_classes=N_CLASSES):
    """Counts of (true class, predicted class) pairs.

    Parameters
    ----------
    y_hat : array_like of shape (n_samples, n_classes), or labels of shape (n_samples,)
        The network's outputs (or predicted labels).
    y : array_like of shape (n_samples, n_classes), or labels of shape (n_samples,)
        One-hot targets (or true labels).
    n_classes : int
        Number of classes.

    Returns
    -------
    ndarray of int, shape (n_classes, n_classes)
        Entry ``[i, j]`` counts the samples of class ``i`` predicted as ``j``;
        the diagonal holds the right answers.
    """
    n_classes = check_count(n_classes, "n_classes", minimum=2, maximum=MAX_CLASSES)
    predicted, true = _labels(y_hat, "y_hat"), _labels(y, "y")
    if predicted.shape != true.shape:
        raise ValueError(f"y_hat and y must describe the same number of samples; got shapes "
                         f"{np.shape(y_hat)} and {np.shape(y)}")
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (_classes(true, n_classes, "y"), _classes(predicted, n_classes, "y_hat")), 1)
    return counts
