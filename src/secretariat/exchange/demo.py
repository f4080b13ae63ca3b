"""Demo: filled in below."""


def load_demo() -> str:
    return "略過"
