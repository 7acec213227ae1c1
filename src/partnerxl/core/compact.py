"""Results made small for the trip from a worker process, and for the thousands a portfolio keeps.

A scored review is a tree of about a hundred pydantic models. Pickled as they are, each model carries its class,
its own dict and its own set of the fields that were set; the main process rebuilds each one, and keeps a copy of
every instrument text (a benchmark's statement, a checklist question) for every review. `pack` turns such a tree
into plain tuples, lists and dicts (what pickle moves fastest); `unpack` builds the same models again, without
validating them again (they were validated, or worked out, where they were made), with one set of set fields for
all the models that share it; a text the instruments gave many reviews travels once per message. The models are
equal to the originals, field by field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from pydantic import BaseModel

_TUPLE = "partnerxl.compact.tuple"   # marks a packed tuple (a packed model is (class, values, set fields))
_DATACLASS = "partnerxl.compact.dataclass"  # marks a packed dataclass: (mark, class, values)
_FIELDS: dict[type, tuple[str, ...]] = {}
_LEAVES = (str, int, float, bool, type(None))  # texts too: a worker's results share the instruments' texts, and a
# message holds each text once (pickle's memo), so a text needs no second copy here
_SETS: dict[frozenset, set] = {}
_FROZEN: dict[frozenset, frozenset] = {}


def _fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(cls.model_fields)
    return names


def pack(obj: Any, memo: dict[int, Any] | None = None) -> Any:
    """`obj` (pydantic models, dataclasses, lists, dicts, tuples and plain values) as plain tuples, lists and
    dicts; a model met twice is packed once (so it is one object again once unpacked)."""
    memo = {} if memo is None else memo
    kind = type(obj)
    if kind in _LEAVES:
        return obj
    if kind is list:
        return [v if type(v) in _LEAVES else pack(v, memo) for v in obj]
    if kind is dict:
        return {k: v if type(v) in _LEAVES else pack(v, memo) for k, v in obj.items()}
    if kind is tuple:
        return (_TUPLE, tuple(pack(v, memo) for v in obj))
    if isinstance(obj, BaseModel):
        known = memo.get(id(obj))
        if known is not None:
            return known[1]
        out = _packed_model(obj, memo)
        memo[id(obj)] = (obj, out)  # the model is kept, so its id is not reused while packing
        return out
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return (_DATACLASS, kind, tuple(pack(getattr(obj, f.name), memo) for f in dataclasses.fields(obj)))
    return obj


def _packed_model(obj: BaseModel, memo: dict[int, Any]) -> Any:
    data, names = obj.__dict__, _FIELDS.get(type(obj)) or _fields(type(obj))
    if len(data) != len(names) or obj.__pydantic_extra__ or obj.__pydantic_private__:
        return obj  # a model this packing does not cover travels as it is
    fields_set = frozenset(obj.__pydantic_fields_set__)
    fields_set = _FROZEN.setdefault(fields_set, fields_set)  # one object, sent once per message
    values = tuple(v if type(v) in _LEAVES else pack(v, memo) for v in (data[name] for name in names))
    return type(obj), values, fields_set




def unpack(data: Any, memo: dict[int, Any] | None = None, *, texts: dict[str, str] | None = None,
           shared: dict | None = None) -> Any:
    """The objects `pack` was given, built again; a text found in `texts` (text → itself) is that table's copy,
    and a frozen model equal to one already in `shared` (a table the caller keeps for as long as it keeps what it
    unpacks) is that one: most of a review's benchmark statistics are the same as some other review's."""
    memo = {} if memo is None else memo
    if texts is not None:
        memo[_TEXTS_KEY] = texts
    if shared is not None:
        memo[_SHARED_KEY] = shared
    kind = type(data)
    if kind is str:
        return _text(data, memo)
    if kind in _LEAVES:
        return data
    if kind is list:
        return [_leaf(v, memo) if type(v) in _LEAVES else unpack(v, memo) for v in data]
    if kind is dict:
        return {k: _leaf(v, memo) if type(v) in _LEAVES else unpack(v, memo) for k, v in data.items()}
    if kind is not tuple:
        return data
    known = memo.get(id(data))
    if known is not None:
        return known[1]
    if data[0] == _TUPLE:
        out: Any = tuple(unpack(v, memo) for v in data[1])
    elif data[0] == _DATACLASS:
        cls = data[1]
        out = cls(**{f.name: unpack(v, memo) for f, v in zip(dataclasses.fields(cls), data[2])})
    else:
        out = _model(data, memo)
    memo[id(data)] = (data, out)
    return out


_TEXTS_KEY, _SHARED_KEY = -1, -2  # where unpack's memo (keyed by ids, never negative) holds its tables


def _text(value: str, memo: dict[int, Any]) -> str:
    texts = memo.get(_TEXTS_KEY)
    return value if texts is None else texts.get(value, value)


def _leaf(value: Any, memo: dict[int, Any]) -> Any:
    return _text(value, memo) if type(value) is str else value


def _model(data: tuple, memo: dict[int, Any]) -> Any:
    cls, values, fields_set = data
    fields_set = _FROZEN.setdefault(fields_set, fields_set)  # this process's copy, not the message's
    table = memo.get(_SHARED_KEY)
    key = None
    if table is not None and cls.model_config.get("frozen"):
        key = _key(cls, values)  # a flat model's packed values are its values: known ones are not built again
        if key is not None:
            key = (key, fields_set)
            known = table.get(key)
            if known is not None:
                return known
    shared = _SETS.get(fields_set)
    if shared is None:
        shared = _SETS[fields_set] = set(fields_set)
    out = cls.__new__(cls)
    setattr_ = object.__setattr__
    setattr_(out, "__dict__", {name: _leaf(v, memo) if type(v) in _LEAVES else unpack(v, memo)
                               for name, v in zip(_FIELDS.get(cls) or _fields(cls), values)})
    setattr_(out, "__pydantic_fields_set__", shared)
    setattr_(out, "__pydantic_extra__", None)
    setattr_(out, "__pydantic_private__", None)
    if key is not None:  # kept under a key made of the built values: the table holds no copy of a text
        table[(_key(cls, out.__dict__.values()), fields_set)] = out
    return out


def _key(cls: type, values: Any) -> tuple | None:
    """What makes two models of `cls` the same: each value with its type (3 and 3.0 print differently), lists and
    dicts of plain values by their items; None for a model holding anything else (another model, say)."""
    key: list = [cls]
    for v in values:
        kind = type(v)
        if kind is list:
            if not all(type(x) in _KEYED for x in v):
                return None
            key.append((list, *((type(x), x) for x in v)))
        elif kind is dict:
            if not all(type(x) in _KEYED for x in v.values()):
                return None
            key.append((dict, *((k, type(x), x) for k, x in v.items())))
        elif kind in _KEYED:
            key.append((kind, v))
        else:
            return None
    return tuple(key)


_KEYED = (*_LEAVES, dt.date, dt.datetime)


# --- a model made from values that are already what it would make of them ------------------------------------------

_FIELD_DEFAULTS: dict[type, list[tuple[str, Any, Any]]] = {}
_REQUIRED = object()


def made(cls: type[BaseModel], **values: Any) -> Any:
    """`cls(**values)` for values already checked or worked out (so they are what the model would make of them):
    the same instance, built without validating it again; what `model_construct` does, without its per-field
    overhead (scoring makes about a hundred results a review, a register thousands of entries)."""
    spec = _FIELD_DEFAULTS.get(cls) or _field_defaults(cls)
    data = {}
    for name, default, factory in spec:
        if name in values:
            data[name] = values[name]
        elif factory is not None:
            data[name] = factory()
        elif default is _REQUIRED:
            raise TypeError(f"{cls.__name__}: {name} is required")
        else:
            data[name] = default
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", data)
    names = frozenset(values)  # one set for all the models made with the same fields, as `unpack` does
    shared = _SETS.get(names)
    if shared is None:
        shared = _SETS[names] = set(names)
    object.__setattr__(model, "__pydantic_fields_set__", shared)
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


_IMMUTABLE = (type(None), bool, int, float, str, bytes, tuple, frozenset)


def _field_defaults(cls: type[BaseModel]) -> list[tuple[str, Any, Any]]:
    """(name, default, factory) of each field: the default itself where it cannot be changed, else a factory
    giving what pydantic gives (a copy of a list default, a default_factory's value)."""
    spec: list[tuple[str, Any, Any]] = []
    for name, info in cls.model_fields.items():
        if info.is_required():
            spec.append((name, _REQUIRED, None))
        elif info.default_factory is None and type(info.default) in _IMMUTABLE:
            spec.append((name, info.default, None))
        elif info.default_factory in (list, dict, set):  # pydantic's way to a default asks for the factory's
            spec.append((name, None, info.default_factory))  # signature every time: costly, by the thousand
        else:
            spec.append((name, None, lambda info=info: info.get_default(call_default_factory=True)))
    _FIELD_DEFAULTS[cls] = spec
    return spec
