"""Template tags of the admin console."""

from django import template

from console.dashboard import dashboard_get

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard(context) -> dict:
    """The dashboard's numbers, for staff only (the admin index is staff-only already)."""
    request = context.get("request")
    if request is None or not request.user.is_active or not request.user.is_staff:
        return {}
    return dashboard_get()
