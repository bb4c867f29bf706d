"""The search query string, read with a Django form (RULES.md §2 and §3, the ranges of
openapi.yaml). Any error is 422.

A query string is form data, which is what forms are for. Two fields are stricter than
Django's: the contract's integers are `-?[0-9]+` only (IntegerField also takes " 1",
"+1" and "1.0"), and a parameter that is given must be valid even when empty (Django's
fields take "" for absent).
"""

import re

from django import forms
from django.core.exceptions import ValidationError

from .inputs import INT32_MAX

DECIMAL = re.compile(r"-?[0-9]+")
SORTS = ("relevance", "price_asc", "price_desc")


class QueryInteger(forms.IntegerField):
    def to_python(self, value):
        if value is None:
            return None
        if not DECIMAL.fullmatch(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)


class QueryChoice(forms.ChoiceField):
    def to_python(self, value):
        return value

    def validate(self, value):
        if value is not None and not self.valid_value(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )


def choices(*values: str) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


class SearchForm(forms.Form):
    # strip=False: q goes to websearch_to_tsquery unchanged. CharField refuses NUL.
    q = forms.CharField(required=False, strip=False, max_length=200)
    category = QueryInteger(required=False, min_value=1, max_value=INT32_MAX)
    brand = forms.CharField(required=False, strip=False)
    min_price = QueryInteger(required=False, min_value=0, max_value=INT32_MAX)
    max_price = QueryInteger(required=False, min_value=0, max_value=INT32_MAX)
    in_stock = QueryChoice(required=False, choices=choices("true", "false"))
    sort = QueryChoice(required=False, choices=choices(*SORTS))
    limit = QueryInteger(required=False, min_value=1, max_value=100)
    offset = QueryInteger(required=False, min_value=0, max_value=10_000)

    def clean_q(self):
        q = self.cleaned_data["q"]
        return q if q.strip(" \t\r\n") else None  # blank counts as absent

    def clean_brand(self):
        return self.cleaned_data["brand"] or None  # empty counts as absent

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data["limit"] is None:
            data["limit"] = 20
        if data["offset"] is None:
            data["offset"] = 0
        if data["sort"] is None:
            data["sort"] = "relevance" if data["q"] else "price_asc"
        return data

    def first_error(self) -> str:
        field, messages = next(iter(self.errors.items()))
        return messages[0] if field == "__all__" else f"{field}: {messages[0]}"
