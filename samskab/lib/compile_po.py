"""Compile the gettext catalogues (.po → .mo) without needing GNU gettext on the machine.

Run by `make install`: `python -m samskab.lib.compile_po`.
"""

from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parent.parent


def main() -> None:
    for po_path in sorted(PACKAGE.glob("**/locale/*/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"{po_path.relative_to(PACKAGE)}: {catalogue.percent_translated()} % translated")


if __name__ == "__main__":
    main()
