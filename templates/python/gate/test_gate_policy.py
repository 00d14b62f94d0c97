"""The gate's static policy against an attacker's spellings, and the mutant maker against the template."""
from __future__ import annotations

import ast
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gate_mutate  # noqa: E402
import gate_policy  # noqa: E402

PRELUDE = "from nexus_adapter import BaseAdapter, tool\n"


def violations(code: str, *, test: bool = False, allow=("api.example.com",), env=("EXAMPLE_API_KEY",)):
    source = PRELUDE + code
    return gate_policy.check_file("adapter.py" if not test else "test_adapter.py", source, ast.parse(source),
                                  is_test=test, local_modules={"adapter"}, allow_hosts=list(allow),
                                  env_names=set(env))


class RefusedSpellings(unittest.TestCase):
    ATTACKS = {
        "import subprocess": "import subprocess\nsubprocess.run(['id'])",
        "from subprocess": "from subprocess import run\nrun(['id'])",
        "os.system": "import os\nos.system('id')",
        "aliased module": "import os as o\no.system('id')",
        "aliased function": "from os import system as s\ns('id')",
        "os.popen": "import os\nos.popen('id')",
        "os.execv": "import os\nos.execv('/bin/sh', ['sh'])",
        "os.spawnl": "import os\nos.spawnl(0, '/bin/sh')",
        "os.fork": "import os\nos.fork()",
        "os._exit": "import os\nos._exit(0)",
        "folded getattr": "import os\ngetattr(os, 'sys' + 'tem')('id')",
        "f-string getattr": "import os\nname = 'tem'\ngetattr(os, f'sys{\"tem\"}')('id')",
        "reversed getattr": "import os\ngetattr(os, 'metsys'[::-1])('id')",
        "join getattr": "import os\ngetattr(os, ''.join(['sy', 'stem']))('id')",
        "computed getattr": "import os\nn = input()\ngetattr(os, n)('id')",
        "getattr as value": "import os\ng = getattr\ng(os, 'system')('id')",
        "eval": "eval('1+1')",
        "exec": "exec('x = 1')",
        "compile": "compile('1', 'f', 'eval')",
        "__import__": "__import__('os').system('id')",
        "importlib": "import importlib\nimportlib.import_module('os')",
        "builtins module": "import builtins\nbuiltins.exec('1')",
        "__builtins__": "__builtins__['exec']('1')",
        "globals()": "globals()['__builtins__']",
        "vars()": "import os\nvars(os)['system']('id')",
        "__dict__": "import os\nos.__dict__['system']('id')",
        "__subclasses__": "().__class__.__bases__[0].__subclasses__()",
        "frame walk": "import sys\nsys._getframe(1).f_globals",
        "sys.modules": "import sys\nsys.modules['os'].system('id')",
        "ctypes": "import ctypes\nctypes.CDLL(None)",
        "socket": "import socket\nsocket.socket()",
        "multiprocessing": "import multiprocessing",
        "pty": "import pty\npty.spawn('/bin/sh')",
        "pickle": "import pickle\npickle.loads(b'')",
        "marshal": "import marshal\nmarshal.loads(b'')",
        "codecs": "import codecs\ncodecs.decode('flfgrz', 'rot13')",
        "asyncio subprocess": "import asyncio\nasyncio.create_subprocess_exec('id')",
        "ssh key": "open('/root/.ssh/id_rsa').read()",
        "home expand": "import os\nopen(os.path.expanduser('~') + '/x').read()",
        "Path.home": "from pathlib import Path\n(Path.home() / 'x').read_text()",
        "etc passwd": "open('/etc/passwd').read()",
        "dotdot": "open('../../secret').read()",
        "pth planting": "from pathlib import Path\nPath('zz.pth').write_text('import os')",
        "writes own code": "open(__file__, 'w').write('')",
        "write outside data": "open('cache.json', 'w').write('{}')",
        "env mapping": "import os\nsend(dict(os.environ))",
        "undeclared env": "import os\nos.environ.get('OPENAI_API_KEY')",
        "computed env": "import os\nk = 'X'\nos.environ[k]",
        "getenv undeclared": "import os\nos.getenv('AWS_SECRET_ACCESS_KEY')",
        "environ from import": "from os import environ\nenviron.get('GITHUB_TOKEN')",
        "env write": "import os\nos.environ['LD_PRELOAD'] = '/tmp/x.so'",
        "undeclared host": "URL = 'https://evil.example.org/collect'",
        "undeclared host f-string": "key = 'k'\nurl = f'https://evil.example.org/c?k={key}'",
        "print to stdout": "print('hello')",
        "sys.stdout": "import sys\nsys.stdout.write('x')",
        "decorator": "import os\n@os.system\ndef f(): pass",
        "default argument": "import os\ndef f(run=os.system):\n    run('id')",
        "lambda default": "f = lambda g=eval: g('1')",
        "star import": "from os import *\nsystem('id')",
        "attrgetter": "import operator, os\noperator.attrgetter('system')(os)('id')",
        "open as value": "o = open\no('/etc/shadow')",
        "types.CodeType": "import types\ntypes.CodeType",
        "shipped .pyc path": "p = '__pycache__/adapter.cpython-311.pyc'",
        "format dunder": "'{0.__globals__}'.format(f)",
        "module through the runtime": "import nexus_adapter\nnexus_adapter.subprocess.run(['id'])",
        "module imported from the runtime": "from nexus_adapter import subprocess",
        "socket through urllib": "import urllib.request\nurllib.request.http.client.socket.socket()",
        "runtime process client": "from nexus_adapter import StdioClient\nStdioClient(['sh'])",
        "self.env undeclared": "class A(BaseAdapter):\n    def f(self):\n        return self.env.get('OPENAI_API_KEY')",
        "timeit runs text": "import timeit\ntimeit.timeit('import os; os.system(1)', number=1)",
        "logging.config factory": "import logging.config\nlogging.config.dictConfig({'x': {'()': 'os.system'}})",
        "from logging import config": "from logging import config",
        "sqlite extension": "import sqlite3\nc = sqlite3.connect(':memory:')\nc.enable_load_extension(True)",
        "catch_warnings escape": "import warnings\nwarnings.catch_warnings()._module.sys.modules['os']",
        "sys through os": "import os\nos.sys.modules['subprocess']",
        "py_compile planting": "import py_compile\npy_compile.compile('adapter.py')",
        "patch the result": "import unittest\nunittest.TestResult.addFailure = unittest.TestResult.addSuccess",
        "patch via from-import": "from unittest import TestResult\nTestResult.addError = lambda *a: None",
        "patch the runtime": "import nexus_adapter\nnexus_adapter.MockTransport.send = lambda *a: None",
        "override TestCase.run": "import unittest\nclass T(unittest.TestCase):\n    def run(self, result=None):\n"
                                 "        result.startTest(self)\n        result.addSuccess(self)",
        "load_tests": "def load_tests(loader, tests, pattern):\n    return tests",
        "own result class": "import unittest\nclass R(unittest.TextTestResult):\n    pass",
        "testsRun": "def f(result):\n    result.testsRun += 5",
        "raw fd write": "import os\nos.write(5, b'{}')",
        "fdopen": "import os\nos.fdopen(5, 'w').write('{}')",
        "closefd": "open(n, 'w', closefd=False)",
        "FileIO": "import io\nio.FileIO(5, 'w')",
        "self.env mapping": "class A(BaseAdapter):\n    def f(self):\n        return dict(self.env)",
    }

    def test_every_attack_is_refused(self):
        missed = [name for name, code in self.ATTACKS.items() if not violations(code)]
        self.assertEqual(missed, [], f"not refused: {missed}")

    def test_attacks_in_test_files_are_refused_too(self):
        for name in ("import subprocess", "os.system", "folded getattr", "eval", "ctypes", "socket", "pickle",
                     "os._exit", "sys.modules", "__subclasses__", "ssh key", "patch the result", "override TestCase.run",
                     "load_tests", "own result class", "testsRun", "raw fd write", "closefd", "patch the runtime"):
            self.assertTrue(violations(self.ATTACKS[name], test=True), name)

    def test_violations_name_file_and_line(self):
        v = violations("x = 1\nimport subprocess")
        self.assertEqual((v[0].path, v[0].line, v[0].kind), ("adapter.py", 3, "import"))


class AllowedCode(unittest.TestCase):
    def test_template_shapes_pass(self):
        code = ("import json\nimport sys\nfrom pathlib import Path\n"
                "API = 'https://api.example.com/v1'\n"
                "for parent in Path(__file__).resolve().parents:\n"
                "    if (parent / 'nexus_adapter.py').exists():\n"
                "        sys.path.insert(0, str(parent))\n"
                "import os\nkey = os.environ.get('EXAMPLE_API_KEY')\n"
                "data_dir = os.environ.get('NEXUS_MODULE_DATA', '.')\n"
                "with open(os.path.join(data_dir, 'cache.json'), 'w') as fh:\n    json.dump({}, fh)\n"
                "print('log', file=sys.stderr)\n"
                "x = getattr(sys, 'version', None)\n"
                "class A(BaseAdapter):\n    def f(self):\n        return self.env.get('EXAMPLE_API_KEY')\n"
                "url = f'https://api.example.com/v1/items/{key}'\n")
        self.assertEqual([v.text() for v in violations(code)], [])

    def test_api_paths_that_look_like_folders_are_not_files(self):
        code = ("API = 'https://api.example.com'\n"
                "def feed(http):\n    return http.get_json(API + '/home/timeline', params={'root': '/root'})\n"
                "ETC = '/etc/notes'\n")
        self.assertEqual([v.text() for v in violations(code)], [])
        self.assertTrue(violations("open('/etc/shadow').read()"))
        self.assertTrue(violations("from pathlib import Path\nPath('/home/u/.aws/credentials').read_text()"))

    def test_wildcard_hosts_and_ports(self):
        self.assertEqual(violations("u = 'https://eu.api.example.net:8443/x'", allow=("*.api.example.net",)), [])
        self.assertTrue(violations("u = 'https://api.example.net.evil.org/x'", allow=("*.api.example.net",)))

    def test_tests_may_print_read_env_and_use_temp_folders(self):
        code = ("import os, tempfile, shutil, unittest, threading, http.server, io, json\n"
                "from unittest import mock\n"
                "tmp = tempfile.mkdtemp()\nprint(os.environ.get('PATH'))\n"
                "open(os.path.join(tmp, 'x'), 'w').write('1')\nshutil.rmtree(tmp)\n"
                "u = 'http://127.0.0.1:8080/x'\n")
        self.assertEqual([v.text() for v in violations(code, test=True)], [])

    def test_hand_written_server_may_write_its_protocol(self):
        source = "import json, sys\nsys.stdout.write(json.dumps({}) + '\\n')\nprint('{}', flush=True)\n"
        found = gate_policy.check_file("server.py", source, ast.parse(source), is_test=False, local_modules=set(),
                                       allow_hosts=[], env_names=set())
        self.assertEqual(found, [])


class Mutants(unittest.TestCase):
    def test_template_adapter_gets_eight_distinct_compiling_mutants(self):
        path = os.path.join(HERE, "..", "module_template", "adapter.py")
        with open(path, encoding="utf-8") as fh:
            source = fh.read()
        mutants = gate_mutate.make_mutants(source)
        self.assertGreaterEqual(len(mutants), 5)
        self.assertEqual(len({m.source for m in mutants}), len(mutants))
        for m in mutants:
            compile(m.source, "adapter.py", "exec")
            self.assertNotEqual(ast.dump(ast.parse(m.source)), ast.dump(ast.parse(source)))
        ops = {m.operator for m in mutants}
        self.assertTrue({"auth_drop", "return_constant", "swallow_errors", "url_path", "pagination",
                         "flip_comparison", "drop_parameter"} <= ops, ops)

    def test_a_small_adapter_still_gets_five_mutants(self):
        source = ("from nexus_adapter import BaseAdapter, tool\n"
                  "API = 'https://api.example.com'\n"
                  "class A(BaseAdapter):\n"
                  "    @tool\n"
                  "    def get(self, key: str, limit: int = 5) -> dict:\n"
                  "        if limit > 20:\n"
                  "            raise ValueError('limit')\n"
                  "        data = self.http.get_json(API + '/things/' + key)\n"
                  "        return {'id': data['id'], 'name': data['name'], 'size': data['size']}\n")
        mutants = gate_mutate.make_mutants(source)
        self.assertGreaterEqual(len(mutants), 5, [m.describe() for m in mutants])
        self.assertIn("drop_result_field", {m.operator for m in mutants})
        self.assertIn("off_by_one", {m.operator for m in mutants})

    def test_each_mutant_names_its_line(self):
        mutants = gate_mutate.make_mutants("def f(x):\n    if x < 3:\n        return '/a'\n    return None\n")
        self.assertTrue(any(m.describe().startswith("line 2: flipped Lt") for m in mutants))


if __name__ == "__main__":
    unittest.main()
