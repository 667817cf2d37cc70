"""Every choice label of every model has a Chinese translation that cannot be mistaken for
another message's (issue 17: the demand status "closed" showed as 关闭时间, "closed at",
because the field ``closed_at`` used the same msgid).

A label shared with a field's verbose name needs a context (``pgettext_lazy``), so each
can be translated for what it means."""

from collections import defaultdict

from django.apps import apps
from django.db import models
from django.utils import translation

PROJECT_APPS = ("conversion_db", "patents", "enterprises", "accounts", "notifications")


def choice_fields():
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            concrete = model._meta.concrete_model or model
            if concrete._meta.app_label not in PROJECT_APPS:
                continue  # a proxy of a library's table (conversion_db.Job): its admin labels
            for field in model._meta.get_fields():
                if getattr(field, "choices", None) and not field.auto_created:
                    yield model, field


def flat(choices):
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from flat(label)
        else:
            yield value, label


def test_every_choice_label_is_translated_and_distinct_within_its_field():
    problems = []
    with translation.override("zh-hans"):
        for model, field in choice_fields():
            seen: dict[str, object] = {}
            for value, label in flat(field.choices):
                text = str(label)
                if text == str(value) and any(c.isascii() and c.isalpha() for c in text):
                    problems.append(f"{model.__name__}.{field.name}={value}: untranslated")
                if text in seen:
                    problems.append(
                        f"{model.__name__}.{field.name}: {seen[text]} and {value} both {text}"
                    )
                seen[text] = value
    assert problems == []


def test_no_choice_label_is_translated_as_a_time_fields_verbose_name():
    """A status is never a moment: "closed" (a status) and "closed" (``closed_at``) are
    different messages. A label that is the name of a relation or a quantity (the holder kind
    "enterprise" and the field "enterprise", the indicator "employees" and the field
    "employees") means the same thing and may share its translation."""
    with translation.override("en"):
        english = {
            (model.__name__, field.name, value): str(label)
            for model, field in choice_fields()
            for value, label in flat(field.choices)
        }
    with translation.override("zh-hans"):
        names = defaultdict(set)
        for app in PROJECT_APPS:
            for model in apps.get_app_config(app).get_models():
                for field in model._meta.get_fields():
                    if isinstance(field, models.DateField | models.TimeField):
                        names[str(field.verbose_name)].add(f"{model.__name__}.{field.name}")
        problems = []
        for model, field in choice_fields():
            for value, label in flat(field.choices):
                if str(label) in names:
                    key = (model.__name__, field.name, value)
                    problems.append(
                        f"{model.__name__}.{field.name}={value} ({english[key]}) is {label}, "
                        f"like the field(s) {sorted(names[str(label)])}"
                    )
    assert problems == []
