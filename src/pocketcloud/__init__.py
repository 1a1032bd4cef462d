"""pocketcloud: the AWS serverless backend stack as one local Python program."""

__version__ = "0.1.0"
