"""One BLAS thread for the experiments: their matrix products are small, and two processes each with
two OpenBLAS threads on two cores spin-wait for each other (seen here: 13 times slower)."""

import functools

from threadpoolctl import threadpool_limits


def one_blas_thread(function):
    """The function, run with numpy's BLAS limited to one thread (restored afterwards)."""

    @functools.wraps(function)
    def limited(*args, **kwargs):
        with threadpool_limits(limits=1, user_api="blas"):
            return function(*args, **kwargs)

    return limited
