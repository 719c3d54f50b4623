"""The book is built under another BLAS kernel than this machine's, so that its chapters' assertions are checked
as another processor would compute them.

numpy's OpenBLAS picks a matrix-product kernel for the processor it runs on, and each rounds in its own way;
training turns the difference into other runs. tests/conftest.py builds the book once for the slow tier, with the
environment that selects another OpenBLAS kernel (and limits numpy's own loops to what that processor has); every
assertion of every chapter (the claims of lab/claims.py among them) runs during that build. Here: that the build's
environment really selected another kernel, in the processes it started. The default kernel is checked by
`make book` and, with two more settings, by benchmarks/claim_margins.py.
"""

import pytest
from conftest import BUILD, blas_kernel

pytestmark = pytest.mark.slow


def test_the_book_is_built_under_another_kernel_than_this_machines(built_book):
    assert (built_book / "book" / "char_lm.html").is_file()
    assert blas_kernel(BUILD["env"]) == BUILD["kernel"] != blas_kernel()
