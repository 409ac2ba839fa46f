"""Photos: the content-addressed store of originals, EXIF, thumbnails and intake.

Same layer as the store and Qt-free; a service connects intake results to survey records.
"""

from survey_app.photos.blobstore import BlobRef, BlobStore
from survey_app.photos.errors import (
    BlobNotFound,
    BlobWriteError,
    ImageRejected,
    InvalidBlobId,
    PhotoError,
)
from survey_app.photos.exif import PhotoMeta, read_meta
from survey_app.photos.intake import (
    IntakeFailure,
    IntakeResult,
    import_many,
    import_photo,
    inspect_photo,
    iter_image_files,
)
from survey_app.photos.thumbnails import make_thumbnail

__all__ = [
    "BlobNotFound",
    "BlobRef",
    "BlobStore",
    "BlobWriteError",
    "ImageRejected",
    "IntakeFailure",
    "IntakeResult",
    "InvalidBlobId",
    "PhotoError",
    "PhotoMeta",
    "import_many",
    "import_photo",
    "inspect_photo",
    "iter_image_files",
    "make_thumbnail",
    "read_meta",
]
