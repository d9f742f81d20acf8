#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ozonprice.settings")
    from django.core.management import execute_from_command_line

    from ozonprice.fields import EncryptionKeyError

    try:
        execute_from_command_line(sys.argv)
    except EncryptionKeyError as error:
        # A missing or wrong FIELD_ENCRYPTION_KEY is configuration, not a bug: one line
        # saying what to set (with the command that makes a key), not a traceback.
        sys.stderr.write(f"Error: {error}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
