"""The Node.js runtime files (bootstrap.js, redirect.js) and the pinned package.json of its libraries."""
