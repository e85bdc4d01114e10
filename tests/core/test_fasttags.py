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


def _named_routes() -> list[tuple[str, int]]:
    """Every view of the project's URLconf reversed by name, with its number of arguments."""
    from django.urls import get_resolver

    found: set[tuple[str, int]] = set()

    def walk(resolver, namespace: str) -> None:
        for name, entries in resolver.reverse_dict.lists():
            if isinstance(name, str):
                for possibility, *_ in entries:
                    for _result, params in possibility:
                        found.add((namespace + name, len(params)))
        for ns, (_extra, inner) in resolver.namespace_dict.items():
            walk(inner, f"{namespace}{ns}:")

    walk(get_resolver(), "")
    return sorted(found)


ODD_VALUES = [
    "KG-2026-00001",
    7,
    "7",
    -3,
    "a b/c?d#e",
    "100%",
    "é ü ☃",
    "<script>",
    "",
    "//evil.example",
    "vrij",
    "3fa85f64-5717-4562-b3fc-2c963f66afa6",
]


def test_url_with_arguments_builds_what_djangos_reverse_builds():
    """For every named view of the project and many kinds of argument, the ``{% url %}`` with
    arguments gives Django's URL, or fails where Django's fails."""
    import itertools

    routes = _named_routes()
    assert len([route for route in routes if route[1]]) >= 40
    ours, django = Engine(builtins=["klachten.core.fasttags_url"]), Engine()
    built = 0
    for name, count in routes:
        if not count:
            continue
        names = " ".join(f"a{i}" for i in range(count))
        source = f"{{% url '{name}' {names} %}}"
        fast, plain = ours.from_string(source), django.from_string(source)
        for values in itertools.islice(itertools.product(ODD_VALUES, repeat=count), 60):
            context = {f"a{i}": value for i, value in enumerate(values)}
            try:
                expected = plain.render(Context(context))
            except NoReverseMatch:
                with pytest.raises(NoReverseMatch):
                    fast.render(Context(context))
                continue
            for language in ("nl", "en"):
                with translation.override(language):
                    assert fast.render(Context(context)) == expected, (name, values)
                    # Built by the routes, not left to Django's node.
                    routes_ = fasttags._routes(name, count, "/", None, language)
                    assert routes_ is not None
                    assert fasttags._built(routes_, list(values)) == expected, (name, values)
            built += 1
    assert built >= 200


def test_url_with_arguments_follows_the_script_prefix_and_the_urlconf():
    from django.urls import clear_script_prefix, set_script_prefix

    ours = Engine(builtins=["klachten.core.fasttags_url"])
    template = ours.from_string("{% url 'complaints:detail' ref %}|{% url 'home' as x %}")
    context = {"ref": "KG-2026-00001"}
    assert template.render(Context(context)) == "/meldingen/KG-2026-00001/|"
    set_script_prefix("/klachten/")
    try:
        assert template.render(Context(context)) == "/klachten/meldingen/KG-2026-00001/|"
    finally:
        clear_script_prefix()
    with override_settings(ROOT_URLCONF="tests.core.fasttags_urls"), pytest.raises(NoReverseMatch):
        template.render(Context(context))
    assert template.render(Context(context)) == "/meldingen/KG-2026-00001/|"
