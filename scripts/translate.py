"""Fill translations into the Chinese catalog from a YAML mapping (English msgid → Chinese), then compile.

Usage: python scripts/translate.py FILE.yaml   — entries not in the catalog are reported, not added;
run ``python -m xxgk.i18n update`` first so the catalog has every marked message.
"""

import sys

import yaml

from xxgk import i18n


def main(path: str) -> int:
    with open(path, encoding="utf-8") as fh:
        mapping = yaml.safe_load(fh) or {}
    catalog = i18n.read_catalog()
    unknown = []
    for msgid, text in mapping.items():
        message = catalog.get(msgid)
        if message is None:
            unknown.append(msgid)
            continue
        message.string = text
    i18n.write_catalog(catalog)
    i18n.compile_catalog()
    missing = [m.id for m in catalog if m.id and not m.string]
    for msgid in unknown:
        print(f"not in the catalog: {msgid!r}", file=sys.stderr)
    print(f"{len(mapping) - len(unknown)} translated; {len(missing)} messages still untranslated")
    for msgid in missing[:50]:
        print(f"  untranslated: {msgid!r}")
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
