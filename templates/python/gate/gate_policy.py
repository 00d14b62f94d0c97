"""The gate's static policy (check b): what module code may import, call and touch, read from its AST.

Nothing here runs module code: sources are parsed with ``ast`` and walked. The rules are written for a
hostile author, so they look at *every* way a name can be reached, not at the usual spelling:

* imports: the standard library minus the dangerous modules below, ``nexus_adapter``, and the module's own
  files; ``from os import system as s`` is checked on the imported name, ``import os as o`` is tracked so
  ``o.system`` resolves to ``os.system``;
* calls and names: ``eval``/``exec``/``compile``/``__import__``/``globals``/``locals``/``vars``/
  ``breakpoint`` never appear, not even as values (``f = eval``); ``getattr``/``setattr``/``delattr``/
  ``operator.attrgetter`` only with a constant name, which is then checked like an attribute (string
  constants are folded: ``"sys" + "tem"``, f-strings, ``"".join([...])``, ``[::-1]``, ``chr(..)``);
* attributes: process creation, raw sockets, frames, code objects and import machinery are refused by
  name on any object (``x.system``, ``x.fork``, ``x.f_globals``, ``sys.modules``...), dunder attributes
  except a short harmless list (``__name__``, ``__init__``...), ``__builtins__`` anywhere;
* files: ``open``/``Path`` methods with a constant absolute, home-relative or ``..`` path; in module code
  any write outside ``NEXUS_MODULE_DATA``; string constants naming secrets or interpreter start-up files
  (``.ssh``, ``.pth``, ``sitecustomize``, ``/proc/``...);
* environment: in module code only ``os.environ.get(NAME)``/``os.environ[NAME]``/``os.getenv(NAME)`` with a
  constant NAME the manifest declares (credentials or ``env``); the mapping itself never escapes;
* stdout belongs to the protocol: module code built on ``nexus_adapter`` may not ``print`` without ``file=``
  or touch ``sys.stdout`` (a hand-written server writes its own protocol lines there);
* hosts: every constant ``http(s)://`` URL in module code names a host in ``network.allow``.

Test files (``test_*.py``, ``*_test.py``, anything under ``tests/``) follow the same rules with three
differences, because they run only in the gate's sandbox, offline: they may read the environment, print,
and write files (temporary directories); everything else, including the import list, is the same.
"""
from __future__ import annotations

import ast
import sys

# Modules no module file may import (the sandbox still holds if one slips through; this is the first wall).
FORBIDDEN_MODULES = {
    "subprocess", "_posixsubprocess", "ctypes", "_ctypes", "cffi", "socket", "_socket", "ssl", "_ssl",
    "socketserver", "asyncio", "multiprocessing", "_multiprocessing", "concurrent", "pty", "tty", "termios",
    "fcntl", "resource", "signal", "mmap", "pickle", "_pickle", "cPickle", "marshal", "shelve", "dbm", "copyreg",
    "importlib", "imp", "zipimport", "pkgutil", "runpy", "code", "codeop", "builtins", "__builtin__", "gc",
    "inspect", "dis", "types", "sys_monitoring", "ptrace", "posix", "nt", "_thread", "site", "sitecustomize",
    "usercustomize", "webbrowser", "ftplib", "telnetlib", "smtplib", "poplib", "imaplib", "nntplib",
    "xmlrpc", "pdb", "bdb", "trace", "tracemalloc", "faulthandler", "atexit", "platform", "sysconfig",
    "distutils", "ensurepip", "venv", "zipapp", "shutil", "tempfile", "glob", "codecs", "_io", "_os",
    "select", "selectors", "wsgiref", "cgi", "cgitb", "crypt", "spwd", "pwd", "grp", "readline", "rlcompleter",
    "http.client", "http.server",
    # Standard modules that run code from strings or write bytecode: timeit/doctest/profile run text as code,
    # logging.config builds objects from dotted names, compileall/py_compile plant .pyc files.
    "timeit", "doctest", "cProfile", "profile", "pydoc", "idlelib", "lib2to3", "logging.config", "tkinter",
    "turtle", "turtledemo", "test", "compileall", "py_compile", "modulefinder", "pyclbr",
}
# Test files may use these on top (they need temporary folders and a local HTTP mock); still no processes.
TEST_EXTRA_MODULES = {"tempfile", "shutil", "http.server", "http.client", "socketserver", "glob", "signal", "types",
                      "inspect"}

# Builtins that never appear, called or not.
FORBIDDEN_BUILTINS = {"eval", "exec", "compile", "__import__", "globals", "locals", "vars", "breakpoint",
                      "input", "memoryview", "__builtins__", "__loader__", "__spec__"}
# Builtins that take an attribute name: allowed only with a constant (folded) name, which is checked.
NAME_TAKING = {"getattr", "setattr", "delattr", "hasattr"}

# Attribute names refused on any object.
FORBIDDEN_ATTRIBUTES = {
    "system", "popen", "popen2", "popen3", "popen4", "fork", "forkpty", "vfork", "posix_spawn", "posix_spawnp",
    "execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe", "spawnl", "spawnle",
    "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe", "startfile", "_exit", "kill", "killpg",
    "setuid", "setgid", "chroot", "ptrace", "create_subprocess_exec", "create_subprocess_shell",
    "open_connection", "create_connection", "socketpair", "_getframe", "_current_frames", "settrace",
    "setprofile", "addaudithook", "f_globals", "f_locals", "f_builtins", "f_back", "f_code", "gi_frame",
    "gi_code", "cr_frame", "cr_code", "ag_frame", "tb_frame", "co_code", "load_module", "exec_module",
    "find_spec", "meta_path", "path_hooks", "path_importer_cache", "modules", "builtin_module_names",
    "CodeType", "FunctionType", "LambdaType", "dlopen", "CDLL", "PyDLL", "cdll", "pydll", "environb",
    "putenv", "unsetenv", "expanduser", "home", "getpass", "getlogin", "symlink", "symlink_to",
    "hardlink_to", "link", "chmod", "chown", "lchown", "setrlimit", "memfd_create", "loads", "load",
    "enable_load_extension", "load_extension", "dictConfig", "fileConfig", "sys",
}
# Modules reachable as attributes of allowed ones (`nexus_adapter.subprocess`, `urllib.request.socket`...).
MODULE_ATTRIBUTES = {"subprocess", "_posixsubprocess", "socket", "_socket", "ctypes", "_ctypes", "pickle", "_pickle",
                     "marshal", "importlib", "builtins", "multiprocessing", "pty", "shelve", "runpy", "zipimport",
                     "pkgutil", "posix", "_thread", "asyncio", "ssl", "_ssl", "mmap", "fcntl", "termios",
                     "webbrowser", "cffi", "_io", "_os"}
# Raw descriptor operations on os: nothing a module needs, and the way to write into a descriptor it did not open
# (a test suite's report pipe).
OS_DESCRIPTOR_OPS = {"write", "writev", "pwrite", "pwritev", "sendfile", "dup", "dup2", "fdopen", "close",
                     "closerange", "set_inheritable", "ftruncate", "pipe", "pipe2", "openpty", "mkfifo", "mknod",
                     "splice", "copy_file_range"}
# What a test file could use to make the runner count tests that never ran or failed.
TEST_RESULT_NAMES = {"addSuccess", "addFailure", "addError", "addSkip", "addExpectedFailure",
                     "addUnexpectedSuccess", "addSubTest", "startTest", "stopTest", "startTestRun", "stopTestRun",
                     "testsRun", "wasSuccessful", "_callTestMethod", "_callSetUp", "_callTearDown",
                     "_callCleanup", "_outcome", "_feedErrorsToResult", "shouldStop"}
TEST_CASE_OVERRIDES = {"run", "__call__", "debug", "_callTestMethod", "defaultTestResult", "_callSetUp",
                       "_callTearDown", "__init_subclass__", "__new__"}
# The runtime helper's process client: tests may start the module with it, module code may not.
TEST_ONLY_NAMES = {"StdioClient"}
# `load`/`loads` are refused only on these modules (json.loads is fine).
LOADERS_ONLY_ON = {"pickle", "marshal", "shelve", "_pickle", "dill", "cloudpickle", "yaml"}
SAFE_DUNDERS = {"__name__", "__doc__", "__init__", "__file__", "__qualname__", "__module__", "__enter__",
                "__exit__", "__version__", "__all__", "__annotations__", "__post_init__", "__eq__", "__hash__",
                "__repr__", "__str__", "__len__", "__iter__", "__next__", "__contains__", "__getitem__", "__lt__",
                "__future__", "__main__", "__slots__"}
# String constants that name secrets, other users' files or interpreter start-up hooks.
# (Absolute paths such as /etc/passwd are refused where they meet a file operation, not as any string: an API
# path like "/home/feed" is not a file.)
SENSITIVE_FRAGMENTS = (".ssh", "id_rsa", "id_ed25519", ".aws", ".gnupg", ".netrc", ".config/nexus", "vault.key",
                       ".pth", "sitecustomize", "usercustomize", "site-packages", "dist-packages", "/proc/",
                       "/dev/tcp", "~/", ".bash_history", ".pyc", "__pycache__",
                       "__globals__", "__builtins__", "__subclasses__", "__import__", "__code__", "__dict__",
                       "__class__", "__mro__", "__bases__", "__getattribute__", "__reduce__", "__closure__")
WRITE_METHODS = {"write_text", "write_bytes", "unlink", "rename", "replace", "rmdir", "mkdir", "touch",
                 "remove", "removedirs", "makedirs", "rmtree", "copy", "copyfile", "copytree", "move", "truncate"}
READ_METHODS = {"read_text", "read_bytes", "open", "iterdir", "glob", "rglob", "listdir", "scandir", "walk",
                "stat", "exists", "is_file", "is_dir", "samefile"}
URL_SCHEMES = ("http://", "https://", "ws://", "wss://", "ftp://")


def stdlib_names() -> set[str]:
    return set(getattr(sys, "stdlib_module_names", ())) | {"__future__"}


class Violation:
    def __init__(self, path: str, line: int, kind: str, message: str):
        self.path, self.line, self.kind, self.message = path, line, kind, message

    def text(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def fold(node: ast.AST, depth: int = 0):
    """The constant string (or int) an expression always evaluates to, or None when it depends on anything."""
    if depth > 20:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, bytes)) \
            and not isinstance(node.value, bool):
        return node.value.decode("latin-1") if isinstance(node.value, bytes) else node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = fold(node.operand, depth + 1)
        return -inner if isinstance(inner, int) else None
    if isinstance(node, ast.BinOp):
        left, right = fold(node.left, depth + 1), fold(node.right, depth + 1)
        if left is None or right is None:
            return None
        try:
            if isinstance(node.op, ast.Add) and type(left) is type(right):
                return left + right
            if isinstance(node.op, ast.Mult) and isinstance(left, str) and isinstance(right, int) and right < 64:
                return left * right
            if isinstance(node.op, ast.Mod) and isinstance(left, str):
                return left % right
        except Exception:
            return None
        return None
    if isinstance(node, ast.JoinedStr):
        parts = []
        for v in node.values:
            inner = v.value if isinstance(v, ast.FormattedValue) else v
            f = fold(inner, depth + 1)
            if f is None:
                return None
            parts.append(str(f))
        return "".join(parts)
    if isinstance(node, ast.Subscript):
        base = fold(node.value, depth + 1)
        if isinstance(base, str) and isinstance(node.slice, ast.Slice):
            parts = (node.slice.lower, node.slice.upper, node.slice.step)
            bounds = [fold(x, depth + 1) if x is not None else None for x in parts]
            if any(x is not None and not isinstance(b, int) for x, b in zip(parts, bounds)):
                return None
            try:
                return base[slice(*bounds)]
            except Exception:
                return None
        return None
    if isinstance(node, ast.Call) and not node.keywords:
        func = node.func
        if isinstance(func, ast.Name) and func.id == "chr" and len(node.args) == 1:
            code = fold(node.args[0], depth + 1)
            return chr(code) if isinstance(code, int) and 0 <= code < 0x110000 else None
        if isinstance(func, ast.Name) and func.id == "str" and len(node.args) == 1:
            return fold(node.args[0], depth + 1)
        if isinstance(func, ast.Attribute) and len(node.args) <= 1:
            base = fold(func.value, depth + 1)
            if not isinstance(base, str):
                return None
            if func.attr == "join" and len(node.args) == 1 and isinstance(node.args[0], (ast.List, ast.Tuple)):
                items = [fold(e, depth + 1) for e in node.args[0].elts]
                return base.join(items) if all(isinstance(i, str) for i in items) else None
            if func.attr in ("lower", "upper", "strip", "title", "swapcase", "casefold") and not node.args:
                return getattr(base, func.attr)()
            if func.attr == "format":
                return None
    return None


class PolicyChecker(ast.NodeVisitor):
    def __init__(self, path: str, tree: ast.AST, *, is_test: bool, local_modules: set[str],
                 allow_hosts: list[str] | None, env_names: set[str]):
        self.path, self.tree, self.is_test = path, tree, is_test
        self.local_modules, self.allow_hosts = local_modules, allow_hosts
        # Declared names, plus what nexus itself sets for every module (never a secret of the user's).
        self.env_names = set(env_names) | {"NEXUS_MODULE_DATA", "HOME", "PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ",
                                           "TMPDIR", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"}
        self.violations: list[Violation] = []
        self.aliases: dict[str, str] = {}  # local name -> qualified module/attribute name
        self.parents: dict[ast.AST, ast.AST] = {}
        self.allowed_stdlib = stdlib_names()
        # Built on nexus_adapter: stdout is the runtime's protocol channel and the module's code stays off it.
        # A hand-written server writes its protocol lines itself (the protocol check holds it to them).
        self.uses_runtime = any(
            (isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[0] == "nexus_adapter")
            or (isinstance(n, ast.Import) and any(a.name.split(".")[0] == "nexus_adapter" for a in n.names))
            for n in ast.walk(tree))
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent

    # ---------------------------------------------------------------------------------------------- helpers
    def flag(self, node: ast.AST, kind: str, message: str) -> None:
        self.violations.append(Violation(self.path, getattr(node, "lineno", 0), kind, message))

    def qualified(self, node: ast.AST) -> str | None:
        """`o.path.join` with `import os as o` -> "os.path.join"; None for anything not a plain name chain."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        parts.append(self.aliases.get(node.id, node.id))
        return ".".join(reversed(parts))

    def module_allowed(self, name: str) -> bool:
        top = name.split(".")[0]
        if name in FORBIDDEN_MODULES or top in FORBIDDEN_MODULES:
            return self.is_test and (name in TEST_EXTRA_MODULES or top in TEST_EXTRA_MODULES) \
                and top not in ("subprocess", "ctypes", "socket", "pickle", "marshal", "multiprocessing", "pty")
        return top == "nexus_adapter" or top in self.local_modules or top in self.allowed_stdlib

    def check_attribute_name(self, node: ast.AST, name: str, owner: str | None) -> None:
        owner_top = (owner or "").split(".")[0]
        # Every component counts: `os.sys.modules` and `x.os.kill` reach the same things as `sys.modules`.
        parts = set((owner or "").split("."))
        if name in ("load", "loads"):
            if parts & LOADERS_ONLY_ON:
                self.flag(node, "policy", f"{owner}.{name}: deserialising pickled/marshalled data runs code")
            return
        if name == "home" and not parts & {"pathlib", "Path", "os"}:
            return
        if name == "modules" and owner is not None and "sys" not in parts:
            return  # an unknown object (`catch_warnings()._module.sys...`) may be sys: refused
        if name == "kill" and "os" not in parts:
            return
        if name in OS_DESCRIPTOR_OPS and "os" in parts:
            self.flag(node, "policy", f"os.{name}: raw descriptor operations are not allowed")
            return
        if name in TEST_RESULT_NAMES or name == "FileIO":
            self.flag(node, "policy", f"'{name}': the test runner's bookkeeping and raw files are off limits")
            return
        if name in MODULE_ATTRIBUTES:
            self.flag(node, "policy", f"'{name}' (on {owner or 'an object'}): a forbidden module reached through "
                                      f"another one")
        elif name in TEST_ONLY_NAMES and not self.is_test:
            self.flag(node, "policy", f"{name} starts processes: only test files may use it")
        elif name in FORBIDDEN_ATTRIBUTES:
            self.flag(node, "policy", f"'{name}' (on {owner or 'an object'}) is not allowed: processes, raw "
                                      f"sockets, frames, the import machinery and the home directory are off limits")
        elif name.startswith("__") and name.endswith("__") and name not in SAFE_DUNDERS:
            self.flag(node, "policy", f"dunder attribute '{name}' is not allowed (introspection escape)")
        elif name.startswith(("exec", "spawn")) and "os" in parts:
            self.flag(node, "policy", f"os.{name}: starting processes is not allowed")
        elif owner_top == "sys" and name in ("stdout", "__stdout__") and not self.is_test and self.uses_runtime:
            self.flag(node, "policy", "sys.stdout belongs to the MCP protocol: log to stderr (nexus_adapter.log)")

    def check_string(self, node: ast.AST, text: str) -> None:
        low = text.lower()
        for frag in SENSITIVE_FRAGMENTS:
            if frag in low:
                if frag == "~/" and not self._looks_like_path(text, frag):
                    continue
                self.flag(node, "policy", f"string {text[:60]!r} names a protected path or hook ({frag})")
                return
        if not self.is_test and low.startswith(URL_SCHEMES):
            host = url_host(text)
            if host and self.allow_hosts is not None and not host_allowed(host, self.allow_hosts):
                self.flag(node, "policy", f"URL host '{host}' is not in the manifest's network.allow "
                                          f"{self.allow_hosts}")

    @staticmethod
    def _looks_like_path(text: str, frag: str) -> bool:
        if "://" in text:  # "https://api.x/root/..." is a URL path, not the file system
            return False
        return text.startswith(frag) or text.startswith("/") or text.startswith("~")

    # ---------------------------------------------------------------------------------------------- imports
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if not self.module_allowed(alias.name):
                self.flag(node, "import", f"import {alias.name}: only the standard library (without process, "
                                          f"socket, ctypes, pickle and import-machinery modules), nexus_adapter "
                                          f"and the module's own files may be imported")
            self.aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname \
                else alias.name.split(".")[0]
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        mod = node.module or ""
        if node.level == 0 and not self.module_allowed(mod):
            self.flag(node, "import", f"from {mod} import ...: not an allowed module")
        for alias in node.names:
            full = f"{mod}.{alias.name}" if mod else alias.name
            if node.level == 0 and mod and not self.module_allowed(mod):
                pass
            elif alias.name == "*":
                if node.level == 0 and mod.split(".")[0] not in ("nexus_adapter", "__future__") \
                        and mod.split(".")[0] not in self.local_modules:
                    self.flag(node, "policy", f"from {mod} import *: star imports hide what is used")
            else:
                if node.level == 0 and (full in FORBIDDEN_MODULES) and not self.module_allowed(full):
                    self.flag(node, "import", f"from {mod} import {alias.name}: not an allowed module")
                self.check_attribute_name(node, alias.name, mod)
                if alias.name in FORBIDDEN_BUILTINS or alias.name in ("getattr", "setattr", "delattr"):
                    self.flag(node, "policy", f"from {mod} import {alias.name}: not allowed")
            self.aliases[alias.asname or alias.name] = full
        self.generic_visit(node)

    # ---------------------------------------------------------------------------------------------- names
    def visit_Name(self, node: ast.Name) -> None:
        if node.id in TEST_ONLY_NAMES and not self.is_test:
            self.flag(node, "policy", f"{node.id} starts processes: only test files may use it")
        if node.id in FORBIDDEN_BUILTINS:
            self.flag(node, "policy", f"'{node.id}' is not allowed (dynamic code or namespace access)")
        elif node.id in NAME_TAKING | {"open"}:
            parent = self.parents.get(node)
            if not (isinstance(parent, ast.Call) and parent.func is node):
                self.flag(node, "policy", f"'{node.id}' may only be called directly, not passed or renamed")
        elif node.id.startswith("__") and node.id.endswith("__") and node.id not in SAFE_DUNDERS:
            self.flag(node, "policy", f"name '{node.id}' is not allowed")
        target = self.aliases.get(node.id)
        if target in ("os.environ", "os.getenv", "os.getenvb") and not self.is_test:
            self._check_environ_use(node)
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        owner = self.qualified(node.value)
        self.check_attribute_name(node, node.attr, owner)
        if not self.is_test and (f"{owner}.{node.attr}" in ("os.environ", "os.getenv", "os.getenvb")
                                 or (owner == "self" and node.attr == "env" and isinstance(node.ctx, ast.Load))):
            self._check_environ_use(node)  # BaseAdapter's self.env is os.environ
        self.generic_visit(node)

    def _check_environ_use(self, node: ast.AST) -> None:
        """os.environ may only be read with a declared constant name: .get(NAME), [NAME], getenv(NAME)."""
        parent = self.parents.get(node)
        name_node = None
        q = self.qualified(node) if isinstance(node, (ast.Attribute, ast.Name)) else None
        q = self.aliases.get(q, q)
        if q in ("os.getenv", "os.getenvb"):
            if isinstance(parent, ast.Call) and parent.func is node and parent.args:
                name_node = parent.args[0]
        elif isinstance(parent, ast.Subscript) and parent.value is node:
            name_node = parent.slice
            if not isinstance(parent.ctx, ast.Load):
                self.flag(node, "policy", "os.environ may not be modified")
                return
        elif isinstance(parent, ast.Attribute) and parent.value is node and parent.attr == "get":
            call = self.parents.get(parent)
            if isinstance(call, ast.Call) and call.func is parent and call.args:
                name_node = call.args[0]
        elif isinstance(parent, ast.Attribute) and parent.value is node:
            self.flag(node, "policy", f"os.environ.{parent.attr}: only reads of declared names are allowed")
            return
        if name_node is None:
            self.flag(node, "policy", "the environment may only be read by a constant, declared name "
                                      "(os.environ.get(\"NAME\")); the whole mapping never leaves")
            return
        name = fold(name_node)
        if not isinstance(name, str):
            self.flag(node, "policy", "environment read with a computed name: use a constant declared name")
        elif name not in self.env_names:
            self.flag(node, "policy", f"environment variable {name} is read but not declared in the manifest "
                                      f"(credentials[].env or env)")

    # ---------------------------------------------------------------------------------------------- calls
    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        fname = func.id if isinstance(func, ast.Name) else None
        qname = self.qualified(func)
        resolved = self.aliases.get(fname, fname) if fname else qname
        if fname in NAME_TAKING or resolved in ("operator.attrgetter", "operator.methodcaller"):
            arg = node.args[1] if fname in NAME_TAKING and len(node.args) > 1 else (
                node.args[0] if fname not in NAME_TAKING and node.args else None)
            name = fold(arg) if arg is not None else None
            if not isinstance(name, str):
                self.flag(node, "policy", f"{fname or resolved} with a computed attribute name is not allowed")
            else:
                for part in name.split("."):
                    owner = self.qualified(node.args[0]) if fname in NAME_TAKING and node.args else None
                    self.check_attribute_name(node, part, owner)
        if (fname == "open" or resolved in ("io.open", "codecs.open")) and any(
                k.arg in ("closefd", "opener") for k in node.keywords):
            self.flag(node, "policy", "open(..., closefd=/opener=): descriptors, not files, are off limits")
        if fname == "open" or resolved in ("io.open", "os.open", "codecs.open", "builtins.open"):
            self._check_open(node, node.args[0] if node.args else None, self._open_mode(node))
        elif isinstance(func, ast.Attribute) and (func.attr in WRITE_METHODS or func.attr in READ_METHODS):
            self._check_path_method(node, func)
        if fname == "print" and not self.is_test and self.uses_runtime \
                and not any(k.arg == "file" for k in node.keywords):
            self.flag(node, "policy", "print() writes to stdout, which carries only MCP protocol lines: "
                                      "use nexus_adapter.log() or print(..., file=sys.stderr)")
        self.generic_visit(node)

    @staticmethod
    def _open_mode(node: ast.Call) -> str:
        mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
        m = fold(mode) if mode is not None else "r"
        return m if isinstance(m, str) else "?"

    def _mentions_data_dir(self, node: ast.AST) -> bool:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Constant) and sub.value == "NEXUS_MODULE_DATA":
                return True
            if isinstance(sub, (ast.Name, ast.Attribute)):
                name = sub.id if isinstance(sub, ast.Name) else sub.attr
                if name in ("data_dir", "DATA_DIR", "data_directory", "NEXUS_MODULE_DATA"):
                    return True
        return False

    def _check_open(self, node: ast.Call, path: ast.AST | None, mode: str) -> None:
        if path is None:
            return
        text = fold(path)
        writing = any(c in mode for c in "wax+?")
        if isinstance(text, str) and (text.startswith(("/", "~")) or ".." in text.split("/")):
            if not (self.is_test and text.startswith("/tmp/")):
                self.flag(node, "policy", f"open({text!r}): only files in the module's data directory")
                return
        if isinstance(text, int):
            self.flag(node, "policy", "open() of a raw file descriptor is not allowed")
        if self._refers_to_own_code(path):
            if writing:
                self.flag(node, "policy", "writes the module's own files (its code is immutable once approved)")
            return
        if writing and not self.is_test and not self._mentions_data_dir(path):
            self.flag(node, "policy", f"open(..., {mode!r}) writes outside the data directory: build the path "
                                      f"from os.environ.get(\"NEXUS_MODULE_DATA\")")

    def _refers_to_own_code(self, node: ast.AST) -> bool:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub.id == "__file__":
                return True
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value.endswith(".py"):
                return True
        return False

    def _check_path_method(self, node: ast.Call, func: ast.Attribute) -> None:
        owner = self.qualified(func.value)
        if owner and owner.split(".")[0] in ("json", "re", "self") or func.attr in ("copy",) and owner in (None, "self"):
            return
        if func.attr in ("open", "remove", "replace", "copy") and owner is None:
            return  # dict.copy(), str.replace(...) on expressions: not file access
        if func.attr == "replace" and not (owner or "").startswith(("os", "Path", "pathlib", "shutil")):
            return
        if func.attr in ("remove", "copy", "move", "truncate") and not (owner or "").startswith(
                ("os", "shutil", "Path", "pathlib")):
            return
        writing = func.attr in WRITE_METHODS
        base = func.value
        if self._refers_to_own_code(base) or any(self._refers_to_own_code(a) for a in node.args):
            if writing:
                self.flag(node, "policy", f".{func.attr}() on the module's own files: its code is immutable")
            return
        for a in [base, *node.args]:
            text = fold(a)
            if isinstance(text, str) and (text.startswith(("/", "~")) or ".." in text.split("/")):
                if not (self.is_test and text.startswith("/tmp/")):
                    self.flag(node, "policy", f".{func.attr}({text!r}): outside the module's data directory")
                    return
        if writing and not self.is_test and not self._mentions_data_dir(node):
            self.flag(node, "policy", f".{func.attr}() writes outside the data directory (NEXUS_MODULE_DATA)")

    # ---------------------------------------------------------------------------------------------- constants
    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            parent = self.parents.get(node)
            if isinstance(parent, ast.Expr) or self._is_docstring(node):
                return
            if isinstance(parent, (ast.BinOp, ast.JoinedStr)):
                return  # checked once, folded, at the outermost expression
            self.check_string(node, node.value)
        elif isinstance(node.value, bytes):
            self.check_string(node, node.value.decode("latin-1"))

    def _is_docstring(self, node: ast.Constant) -> bool:
        parent = self.parents.get(node)
        return isinstance(parent, ast.Expr)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        self._check_folded(node)
        self.generic_visit(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self._check_folded(node)
        self.generic_visit(node)

    def _check_folded(self, node: ast.AST) -> None:
        if isinstance(self.parents.get(node), (ast.BinOp, ast.JoinedStr, ast.FormattedValue)):
            return
        text = fold(node)
        if isinstance(text, str):
            self.check_string(node, text)
            return
        # Not fully constant: check the leading constant part (f"https://{host}/x" has no literal host).
        head = node
        while isinstance(head, ast.BinOp) and isinstance(head.op, ast.Add):
            head = head.left
        if isinstance(head, ast.JoinedStr) and head.values and isinstance(head.values[0], ast.Constant):
            head = head.values[0]
        lead = fold(head)
        if isinstance(lead, str) and lead is not None:
            low = lead.lower()
            if low.startswith(URL_SCHEMES) and "/" in low.split("://", 1)[1]:
                self.check_string(node, lead)
            else:
                for frag in SENSITIVE_FRAGMENTS:
                    if frag in low and (frag != "~/" or self._looks_like_path(lead, frag)):
                        self.flag(node, "policy", f"string {lead[:60]!r} names a protected path or hook ({frag})")
                        break

    # ---------------------------------------------------------------------------------------------- structure
    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._check_definition(node)
        self.generic_visit(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._check_definition(node)
        self.generic_visit(node)

    def _check_definition(self, node) -> None:
        parent = self.parents.get(node)
        if node.name == "load_tests" and isinstance(parent, ast.Module):
            self.flag(node, "policy", "load_tests() replaces the suite the runner would find: not allowed")
        if isinstance(parent, ast.ClassDef) and node.name in TEST_CASE_OVERRIDES and self._is_test_class(parent):
            self.flag(node, "policy", f"{parent.name}.{node.name}() overrides how unittest runs and counts tests")

    def _is_test_class(self, cls: ast.ClassDef) -> bool:
        for b in cls.bases:
            q = self.qualified(b) or ""
            if q.split(".")[-1] in ("TestCase", "IsolatedAsyncioTestCase", "TestSuite", "TestResult",
                                    "TextTestResult", "TestLoader", "TextTestRunner", "BaseTestSuite"):
                return True
        return False

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for b in node.bases:
            q = self.qualified(b) or ""
            if q.split(".")[-1] in ("TestSuite", "TestResult", "TextTestResult", "TestLoader", "TextTestRunner",
                                    "BaseTestSuite"):
                self.flag(node, "policy", f"class {node.name}({q}): the runner's suite, loader and result classes "
                                          f"are not to be replaced")
        self.generic_visit(node)

    def _check_targets(self, targets) -> None:
        flat = []
        for t in targets:  # `a.b = ...`, `a.b, c = ...`; not `os.environ["X"] = ...` (an item, not a patch)
            flat += t.elts if isinstance(t, (ast.Tuple, ast.List)) else [t]
        for t in flat:
            for sub in [t] if isinstance(t, ast.Attribute) else []:
                if isinstance(sub, ast.Attribute):
                    root = sub
                    while isinstance(root, ast.Attribute):
                        root = root.value
                    if isinstance(root, ast.Name) and root.id in self.aliases:
                        full = self.aliases[root.id]
                        top = full.split(".")[0]
                        if top not in self.local_modules and top != "__future__":
                            self.flag(sub, "policy", f"assigning {self.qualified(sub) or 'an attribute'} patches "
                                                     f"the shared module {full}: use unittest.mock.patch in a test")
                            return

    def visit_Assign(self, node: ast.Assign) -> None:
        self._check_targets(node.targets)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._check_targets([node.target])
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._check_targets([node.target])
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        self._check_targets(node.targets)
        self.generic_visit(node)


def url_host(url: str) -> str | None:
    rest = url.split("://", 1)[1] if "://" in url else ""
    authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if not authority:
        return None
    if "@" in authority:
        authority = authority.rsplit("@", 1)[1]
    if authority.startswith("["):
        return authority.split("]", 1)[0] + "]"
    return authority.split(":", 1)[0].lower()


def host_allowed(host: str, allow: list[str]) -> bool:
    for rule in allow:
        if not isinstance(rule, str):
            continue
        r = rule.lower().split(":", 1)[0] if not rule.startswith("[") else rule.lower()
        if r == host:
            return True
        if r.startswith("*.") and host.endswith(r[1:]) and len(host) > len(r) - 1:
            return True
    return False


def check_file(path: str, source: str, tree: ast.AST, **kw) -> list[Violation]:
    checker = PolicyChecker(path, tree, **kw)
    checker.visit(tree)
    seen, out = set(), []
    for v in sorted(checker.violations, key=lambda v: (v.line, v.message)):
        if (v.line, v.message) not in seen:
            seen.add((v.line, v.message))
            out.append(v)
    return out
