"""Pricing services, one module per concept.

- `edits`: the manager's MRPC, discount and activation, per item;
- `maintain`: plan and send price changes to Ozon, reconcile unknown outcomes;
- `verify`: read changes back from Ozon and the showcase, notify on failures;
- `showcase`: fetch the showcase (buyer's) price from the configured source.
"""
