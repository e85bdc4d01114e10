"""A real OpenID Connect provider for the single sign-on tests (#15 item 1).

A small Django site of its own on django-oauth-toolkit, run by the tests as a separate process
(``server.py``); it never imports or shares the product's settings. It is also the Django app
(label ``oidc``) that the provider site installs, for its login template and its
``oidc_provision`` command.
"""
