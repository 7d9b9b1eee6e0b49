"""Print the SIMD features NumPy dispatches to on this processor, comma-separated.

NumPy picks some of its loops (exp, log, tanh, sums, ...) at run time, by
the processor's features, so the last bits of a float64 result differ
between machines. `make test` runs the chapters a second time with all of
these features disabled, which makes NumPy fall back to its baseline loops
and reproduces, on one machine, the last-bit differences another machine
would bring:

    NPY_DISABLE_CPU_FEATURES=$(python scripts/numpy_dispatch.py) pytest --nbval ...

The list comes from NumPy itself, so it names only features that this NumPy
build dispatches and this processor has. That matters: NumPy 2.4 refuses to
start when the variable names a baseline feature (a RuntimeError), and
warns (an ImportWarning) about a name it does not dispatch, such as an x86
name on an ARM machine. On an x86-64 machine with AVX-512 the answer is
``X86_V3,X86_V4,AVX512_ICL``; on a processor with none of the dispatched
features it prints nothing, and `make test` skips the second run (it would
repeat the first).

Run it with ``NPY_DISABLE_CPU_FEATURES`` unset: features already disabled
do not count as present.
"""

# NumPy's own report of this (numpy.show_runtime) reads the same two tables.
from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__


def dispatched_features():
    """The dispatched SIMD features this processor has, in NumPy's order."""
    return [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]


if __name__ == "__main__":
    print(",".join(dispatched_features()))
