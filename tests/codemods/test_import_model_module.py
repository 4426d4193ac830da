"""import_model_module.ImportModelModuleCommand from the command line, on a models package's __init__.py."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.import_model_module import ImportModelModuleCommand


class TestImportModelModuleCommand(CommandTest):
    TRANSFORM = ImportModelModuleCommand

    def test_absolute_import(self) -> None:
        """A new from-import after the last one."""
        before = """
            from models.base import Base
            from models.user import User

            __all__ = ["Base", "User"]
        """
        after = """
            from models.base import Base
            from models.user import User
            from models.invoice import Invoice

            __all__ = ["Base", "User"]
        """
        argv = ("--from-module", "models.invoice", "--name", "Invoice")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_extend_existing_line(self) -> None:
        """An existing from-import of that module is extended (names kept sorted)."""
        before = """
            from models.billing import Payment
            from models.user import User
        """
        after = """
            from models.billing import Invoice, Payment
            from models.user import User
        """
        argv = ("--from-module", "models.billing", "--name", "Invoice")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_relative_import(self) -> None:
        """A relative module: a from-import line of its own."""
        before = """
            from .billing import Payment
            from .user import User
        """
        after = """
            from .billing import Payment
            from .user import User
            from .billing import Invoice
        """
        argv = ("--from-module", ".billing", "--name", "Invoice")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_module_itself(self) -> None:
        """`--from-module .` imports the module itself."""
        before = """
            from . import user
        """
        after = """
            from . import user
            from . import invoice
        """
        argv = ("--from-module", ".", "--name", "invoice")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_already_bound(self) -> None:
        """The name is bound already: nothing changes."""
        before = """
            from models.invoice import Invoice
        """
        self.assertCommand(before, before, "--from-module", "models.invoice", "--name", "Invoice")  # nothing to change
