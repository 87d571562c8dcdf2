"""The root fields, cut by domain: each module holds one domain's Query fields and their costs.

``api.schema`` merges them into the one ``Query`` type, as Saleor's GraphQL layer does.
"""
