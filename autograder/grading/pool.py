"""Grading the class's notebooks in a pool of local processes, each notebook by grade_one.safe_grade; the records
come back to this process, which alone writes them. grading.cluster is its peer on a Dask cluster's workers.
"""

from concurrent.futures import ProcessPoolExecutor, as_completed

from autograder.grading.grade_one import safe_grade


def grade_in_pool(todo, timeout, workers, finish):
    """Grade the Jobs todo in workers local processes, calling finish(job, record) here as each record arrives."""
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(safe_grade, job, timeout): job for job in todo}
        for future in as_completed(futures):
            finish(futures[future], future.result())
