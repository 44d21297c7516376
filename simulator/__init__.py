"""A real backend for local work and tests: token API, python-socketio server, fleet.

python -m simulator --api-port 3000 --ws-port 4000 --clusters 4 --shards-per-cluster 4
"""
