# VRRP: advert regularity while lvsd's loop runs 10,000 checks a second
# and applies a large reload (see vrrp_jitter.sh; needs root for unshare).
BENCHES += run-vrrp-jitter
run-vrrp-jitter:
	./vrrp_jitter.sh 10000 0.1
