"""Workbooks into models and findings: sheets parse, checks judge, the models are built from what passed.

`books.py` reads registers and response forms and validates any workbook; `review_book.py` reads reviews."""

from partnerxl.reading.books import (RegisterBook, ResponseBook, read_register, read_response,  # noqa: F401
                                     review_against_register, validate_source)
from partnerxl.reading.review_book import ReviewBook, read_review  # noqa: F401
