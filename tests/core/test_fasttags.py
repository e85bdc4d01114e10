"""``{% translate %}`` and ``{% url %}`` that remember (``klachten.core.fasttags``, #17 item 2)
render exactly what Django's own tags render, in every language, and remember only what
cannot change between two requests."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import Context, Engine, Template
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch
from django.utils import translation

from klachten.core import fasttags

SOURCES = [
    '{% translate "Opslaan" %}|{% trans "Uitloggen" %}',
    '{% translate "Opslaan" as label %}[{{ label }}]',
    '{% translate "Nieuwe melding" noop %}',
    '{% translate "Mijn meldingen"|upper %}',
    "{% translate word %}",
    '{% translate "Termijnen" context "kop" %}',
    "{% blocktranslate with reference=ref %}Melding {{ reference }}{% endblocktranslate %}",
    "{% translate '<b>' %}",
    "{% autoescape off %}{% translate '<b>' %}{% endautoescape %}",
]


def _engines() -> tuple[Engine, Engine]:
    ours = Engine(libraries={"i18n": "klachten.core.templatetags.klachten_i18n"})
    django = Engine(libraries={"i18n": "django.templatetags.i18n"})
    return ours, django


@pytest.mark.parametrize("source", SOURCES)
def test_translate_renders_as_djangos_own(source):
    ours, django = _engines()
    fast, plain = (
        ours.from_string("{% load i18n %}" + source),
        django.from_string("{% load i18n %}" + source),
    )
    for language in ("nl", "en", "nl", "en"):  # twice: the second time from memory
        with translation.override(language):
            context = {"word": "Opslaan", "ref": "KG-2026-00001"}
            assert fast.render(Context(context)) == plain.render(Context(context)), language


def test_translate_remembers_literals_per_language_only():
    ours, _ = _engines()
    template = ours.from_string('{% load i18n %}{% translate "Uitloggen" %}')
    with translation.override("en"):
        english = template.render(Context())
    with translation.override("nl"):
        dutch = template.render(Context())
    assert (english, dutch) == ("Log out", "Uitloggen")
    [node] = [n for n in template.nodelist if isinstance(n, fasttags.RememberedTranslateNode)]
    assert node.literal == "Uitloggen"
    assert len(node.memory) == 2
    variable = ours.from_string("{% load i18n %}{% translate word %}")
    [node] = [n for n in variable.nodelist if isinstance(n, fasttags.RememberedTranslateNode)]
    assert node.literal is None  # a variable is translated anew every time


URLS = [
    "{% url 'home' %}",
    "{% url 'complaints:overview' %}",
    "{% url 'complaints:detail' 'KG-2026-00001' %}",
    "{% url 'complaints:detail' reference %}",
    "{% url view %}",
    "{% url 'complaints:overview' as there %}[{{ there }}]",
    "{% url 'does-not-exist' as there %}[{{ there }}]",
]


@pytest.mark.parametrize("source", URLS)
def test_url_renders_as_djangos_own(source):
    ours = Engine(builtins=["klachten.core.fasttags_url"])
    request = RequestFactory().get("/")
    for _ in range(2):
        context = {"reference": "KG-2026-00002", "view": "home", "request": request}
        assert ours.from_string(source).render(Context(context)) == Engine().from_string(
            source
        ).render(Context(context))


def test_an_unknown_view_still_fails_loudly():
    ours = Engine(builtins=["klachten.core.fasttags_url"])
    with pytest.raises(NoReverseMatch):
        ours.from_string("{% url 'does-not-exist' %}").render(Context())


def test_a_changed_urlconf_is_not_answered_from_memory():
    ours = Engine(builtins=["klachten.core.fasttags_url"])
    template = ours.from_string("{% url 'home' %}")
    assert template.render(Context()) == "/"
    with override_settings(ROOT_URLCONF="tests.core.fasttags_urls"):
        assert template.render(Context()) == "/elders/"
    assert template.render(Context()) == "/"


def test_the_project_uses_them():
    """The site's engine has the builtin ``url``; every template of the project loads
    ``klachten_i18n``, not Django's ``i18n`` (whose ``translate`` forgets)."""
    from django.template import engines

    engine = engines["django"].engine
    assert "klachten.core.fasttags_url" in engine.builtins
    assert isinstance(Template("{% url 'home' %}").nodelist[0], fasttags.RememberedURLNode)
    root = Path(fasttags.__file__).resolve().parents[1]
    loading_i18n = [
        str(path.relative_to(root))
        for path in root.rglob("templates/**/*")
        if path.is_file()
        and path.suffix in {".html", ".txt"}
        and any(
            "i18n" in line.split()
            for line in path.read_text(encoding="utf-8").split("{% load ")[1:]
            for line in [line.split("%}")[0]]
        )
    ]
    assert loading_i18n == []
