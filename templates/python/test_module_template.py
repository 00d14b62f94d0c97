"""Keeps the module template working: runs its own tests as a generated module's would be run."""
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class ModuleTemplateTests(unittest.TestCase):
    def test_template_module_tests_pass(self):
        proc = subprocess.run([sys.executable, "-m", "unittest", "-q", "test_adapter"],
                              cwd=os.path.join(HERE, "module_template"), capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONPATH": HERE})
        self.assertEqual(proc.returncode, 0, proc.stderr[-3000:])
        self.assertIn("OK", proc.stderr)


if __name__ == "__main__":
    unittest.main()
