"""Milestones from the biological neuron to backpropagation (chapter 1)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Milestone", "MILESTONES"]


@dataclass(frozen=True)
class Milestone:
    year: int
    who: str
    what: str
    added: str  # what this step gave to the next one


MILESTONES = (
    Milestone(
        1906,
        "Santiago Ramón y Cajal",
        "Nobel Prize in Physiology or Medicine for the structure of the nervous system",
        "the neuron doctrine: the brain is made of separate cells that signal to each other",
    ),
    Milestone(
        1943,
        "Warren McCulloch and Walter Pitts",
        "a logical calculus of nervous activity",
        "a neuron as a threshold unit: weighted inputs, a sum, fire or not",
    ),
    Milestone(
        1958,
        "Frank Rosenblatt",
        "the perceptron",
        "weights learned from examples instead of set by hand",
    ),
    Milestone(
        1969,
        "Marvin Minsky and Seymour Papert",
        "the book Perceptrons",
        "a proof of what one layer cannot learn (XOR), and the question of training hidden layers",
    ),
    Milestone(
        1986,
        "David Rumelhart, Geoffrey Hinton and Ronald Williams",
        "learning representations by back-propagating errors",
        "backpropagation: the chain rule gives every hidden weight its gradient",
    ),
    Milestone(
        1998,
        "Yann LeCun, Léon Bottou, Yoshua Bengio and Patrick Haffner",
        "gradient-based learning applied to document recognition",
        "a convolutional network trained end to end by backpropagation, read cheques in practice",
    ),
)
"""The six steps chapter 1 tells, oldest first."""
