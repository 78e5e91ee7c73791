"""Optional parts of the application and what each adds to the container.

Every module here is one feature: it names the concrete classes the feature needs and
registers providers, after-commit hooks, cache tag rules and start-up tasks through its
`install(container)`. `app.container` imports whatever modules are present, so a project
generated without a feature (its module deleted) simply never wires it.
"""
