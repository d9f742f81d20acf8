"""The header's account selector (`ozonprice.admin_switcher`): shown to staff when there is more than one account."""

from django import template

from ozonprice.admin_switcher import ALL, PARAMETER, account_chosen, admin_accounts

register = template.Library()


@register.inclusion_tag("admin/ozonprice/account_switcher.html", takes_context=True)
def account_switcher(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_active or not user.is_staff:
        return {"accounts": []}
    accounts = admin_accounts(request)
    if len(accounts) < 2:
        return {"accounts": []}
    chosen = account_chosen(request)
    return {
        "accounts": [(account_id, name, account_id == chosen) for account_id, name in accounts.items()],
        "all_value": ALL,
        "all_chosen": chosen is None,
        "parameter": PARAMETER,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
