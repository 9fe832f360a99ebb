"""Small helpers for the few statements written in SQL rather than built by the ORM (the
article page's head, the Lees meer candidates): names quoted and values converted as the
ORM does it, for whichever database the articles live in."""

import functools

from django.db import connections


def connection_for(model):
    return connections[model.objects.db]


# Quoting depends on the database's vendor only: named once per process.
@functools.cache
def table(model):
    return connection_for(model).ops.quote_name(model._meta.db_table)


@functools.cache
def column(model, field):
    """Return `field`'s column of `model`, quoted and qualified by its table."""
    quote = connection_for(model).ops.quote_name
    return f"{table(model)}.{quote(model._meta.get_field(field).column)}"


def converter(model, field):
    """Return a function that turns a raw database value of `field` into its Python value,
    as the ORM does (SQLite gives date-times as text)."""
    connection = connection_for(model)
    field = model._meta.get_field(field)
    col = field.get_col(model._meta.db_table)
    converters = connection.ops.get_db_converters(col) + field.get_db_converters(connection)

    def convert(value):
        for convert_one in converters:
            value = convert_one(value, col, connection)
        return value

    return convert
