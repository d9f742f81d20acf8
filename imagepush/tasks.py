"""django-q2 task functions: thin wrappers over the imagepush services."""

from imagepush.repoll import image_pushes_repoll
from ozonprice.schedule import TaskFailed, once_per_slot


@once_per_slot("repoll_image_pushes")
def repoll_image_pushes() -> str:
    """Settle pushes left `sent` after a 504 (schedule: every 5 minutes; its own lease inside the service)."""
    result = image_pushes_repoll()
    if not result.ok:
        raise TaskFailed(result.summary())
    return result.summary()
