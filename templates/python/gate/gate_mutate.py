"""Mechanical mutants of a module's adapter (gate check f), made with ``ast`` transforms.

Each operator finds the places it applies to and changes exactly one of them; a mutant is kept only if
it compiles and differs from the original. The operators follow what a toothless test suite misses:
dropping or altering the auth header, a tool returning a constant, swallowed HTTP errors, a changed URL
path, pagination cut to one page, a flipped comparison and a dropped request parameter. Only when those
make fewer than the minimum do fillers (a result that loses a field, a bound moved by one) make up the rest.
"""
from __future__ import annotations

import ast
import copy

AUTH_KEYS = {"authorization", "x-api-key", "api-key", "apikey", "api_key", "x-auth-token", "auth-token", "token",
             "access_token", "x-access-token", "key", "private-token", "x-token", "bearer", "x-apikey",
             "ocp-apim-subscription-key", "client-id", "x-client-id"}
PAGINATORS = {"paginate_pages", "paginate_offset", "paginate_cursor", "paginate_link"}
FLIP = {ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE, ast.LtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
        ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
MAX_MUTANTS = 8


class Mutant:
    def __init__(self, operator: str, line: int, what: str, source: str):
        self.operator, self.line, self.what, self.source = operator, line, what, source

    def describe(self) -> str:
        return f"line {self.line}: {self.what} ({self.operator})"


def _is_tool(fn: ast.AST) -> bool:
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    for d in fn.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        name = target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else ""
        if name == "tool":
            return True
    return False


def _str(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _candidates(tree: ast.AST) -> dict[str, list[tuple[int, str, object]]]:
    """operator -> [(line, description, locator)] where locator finds the node again in a copy."""
    found: dict[str, list] = {k: [] for k in ("auth_drop", "return_constant", "swallow_errors", "url_path",
                                                  "pagination", "flip_comparison", "drop_parameter", "auth_alter",
                                                  "drop_result_field", "off_by_one")}
    nodes = list(ast.walk(tree))
    index = {id(n): i for i, n in enumerate(nodes)}
    in_function = set()
    for fn in nodes:
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            in_function.update(id(x) for x in ast.walk(fn))
    for n in nodes:
        i = index[id(n)]
        if isinstance(n, ast.Dict):
            for k_i, k in enumerate(n.keys):
                key = _str(k) if k is not None else None
                if key and key.lower() in AUTH_KEYS:
                    found["auth_drop"].append((n.lineno, f"dropped the {key!r} header/parameter", (i, k_i)))
                    found["auth_alter"].append((n.lineno, f"replaced the {key!r} value with a wrong one", (i, k_i)))
        if _is_tool(n):
            body = n.body[1:] if n.body and isinstance(n.body[0], ast.Expr) and _str(n.body[0].value) else n.body
            if body:
                found["return_constant"].append((n.lineno, f"tool {n.name}() returns None without doing anything", i))
        if isinstance(n, ast.ExceptHandler) and any(isinstance(s, ast.Raise) for s in ast.walk(n)):
            found["swallow_errors"].append((n.lineno, "an except block swallows the error (returns None)", i))
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) in in_function:
            v = n.value
            if (v.startswith("/") and len(v) > 1 and " " not in v and "\n" not in v) or \
                    (v.startswith(("http://", "https://")) and "/" in v.split("://", 1)[1]):
                found["url_path"].append((n.lineno, f"changed the URL path {v[:50]!r}", i))
        if isinstance(n, ast.Call):
            fname = n.func.id if isinstance(n.func, ast.Name) else n.func.attr if isinstance(n.func, ast.Attribute) \
                else ""
            if fname in PAGINATORS:
                found["pagination"].append((n.lineno, f"{fname}() stops after the first page", i))
            for kw_i, kw in enumerate(n.keywords):
                if kw.arg in ("params", "query", "data", "json_body", "json") and isinstance(kw.value, ast.Dict) \
                        and kw.value.keys:
                    key = _str(kw.value.keys[0]) if kw.value.keys[0] is not None else None
                    found["drop_parameter"].append((n.lineno, f"dropped request parameter {key!r}", (i, kw_i)))
                elif kw.arg in ("params", "query"):
                    found["drop_parameter"].append((n.lineno, f"dropped the {kw.arg}= argument", (i, kw_i)))
        if isinstance(n, ast.While):
            found["pagination"].append((n.lineno, "the while loop runs at most once", i))
        if isinstance(n, ast.Return) and n.value is not None and id(n) in in_function:
            result = n.value.elt if isinstance(n.value, ast.ListComp) else n.value
            if isinstance(result, ast.Dict) and len(result.keys) > 1 and _str(result.keys[-1]):
                found["drop_result_field"].append((n.lineno, f"the result loses its {_str(result.keys[-1])!r} field",
                                                   index[id(result)]))
        if isinstance(n, ast.Compare) and id(n) in in_function:
            for c_i, c in enumerate(n.comparators):
                if isinstance(c, ast.Constant) and type(c.value) is int:
                    found["off_by_one"].append((n.lineno, f"the bound {c.value} became {c.value + 1}", (i, c_i)))
        if isinstance(n, ast.Compare) and len(n.ops) == 1 and type(n.ops[0]) in FLIP and id(n) in in_function:
            found["flip_comparison"].append((n.lineno, f"flipped {type(n.ops[0]).__name__} to "
                                                       f"{FLIP[type(n.ops[0])].__name__}", i))
    return found


def _apply(tree: ast.AST, operator: str, locator) -> ast.AST:
    new = copy.deepcopy(tree)
    nodes = list(ast.walk(new))
    if operator in ("auth_drop", "auth_alter"):
        i, k_i = locator
        d = nodes[i]
        if operator == "auth_drop":
            del d.keys[k_i]
            del d.values[k_i]
        else:
            d.values[k_i] = ast.Constant("gate-mutant-wrong-credential")
    elif operator == "return_constant":
        fn = nodes[locator]
        keep = fn.body[:1] if fn.body and isinstance(fn.body[0], ast.Expr) and _str(fn.body[0].value) else []
        fn.body = keep + [ast.Return(ast.Constant(None))]
    elif operator == "swallow_errors":
        nodes[locator].body = [ast.Return(ast.Constant(None))]
    elif operator == "url_path":
        n = nodes[locator]
        n.value = n.value.rstrip("/") + "_gate_mutant"
    elif operator == "pagination":
        n = nodes[locator]
        if isinstance(n, ast.While):
            n.body = n.body + [ast.Break()]
        else:
            n.keywords = [k for k in n.keywords if k.arg != "max_pages"] + [ast.keyword("max_pages", ast.Constant(1))]
    elif operator == "flip_comparison":
        n = nodes[locator]
        n.ops = [FLIP[type(n.ops[0])]()]
    elif operator == "drop_result_field":
        d = nodes[locator]
        del d.keys[-1]
        del d.values[-1]
    elif operator == "off_by_one":
        i, c_i = locator
        c = nodes[i].comparators[c_i]
        nodes[i].comparators[c_i] = ast.Constant(c.value + 1)
    elif operator == "drop_parameter":
        i, kw_i = locator
        call = nodes[i]
        kw = call.keywords[kw_i]
        if isinstance(kw.value, ast.Dict) and len(kw.value.keys) > 1:
            del kw.value.keys[0]
            del kw.value.values[0]
        else:
            del call.keywords[kw_i]
    return ast.fix_missing_locations(new)


def make_mutants(source: str, limit: int = MAX_MUTANTS, minimum: int = 5) -> list[Mutant]:
    """Up to `limit` distinct, compiling mutants: one per core operator first, then more of the same; the
    fillers (a dropped result field, a bound moved by one) only until `minimum`, for small adapters."""
    tree = ast.parse(source)
    original = ast.unparse(tree)
    found = _candidates(tree)
    core = ["auth_drop", "return_constant", "swallow_errors", "url_path", "pagination", "flip_comparison",
            "drop_parameter", "auth_alter"]
    fillers = ["drop_result_field", "off_by_one"]
    out, seen = [], {original}
    for ops, cap in ((core, limit), (fillers, minimum)):
        queue = []
        depth = max((len(found[op]) for op in ops), default=0)
        for round_ in range(depth):
            for op in ops:
                if round_ < len(found[op]):
                    queue.append((op, *found[op][round_]))
        for op, line, what, locator in queue:
            if len(out) >= cap:
                break
            try:
                text = ast.unparse(_apply(tree, op, locator))
                compile(text, "adapter.py", "exec", dont_inherit=True)
            except Exception:
                continue
            if text in seen:
                continue
            seen.add(text)
            out.append(Mutant(op, line, what, text + "\n"))
    return out
