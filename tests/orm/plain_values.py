"""What the ORM checks print: a client's value as comparable, printable
data, the same for Tessera's run and PostgreSQL's (compare.py)."""
import datetime
import decimal


def plain(value):
    """A value as comparable, printable data."""
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (bytes, memoryview)):
        return "bytes:" + bytes(value).hex()
    if isinstance(value, (decimal.Decimal, datetime.date, datetime.datetime, datetime.time)):
        return type(value).__name__ + ":" + str(value)
    return repr(value)
