package io.courier.rpc.benchmark.grpc;

import io.courier.rpc.benchmark.UserService;
import io.courier.rpc.benchmark.UserStreamService;
import io.courier.rpc.benchmark.grpc.proto.BoolReply;
import io.courier.rpc.benchmark.grpc.proto.ExistUserRequest;
import io.courier.rpc.benchmark.grpc.proto.GetUserRequest;
import io.courier.rpc.benchmark.grpc.proto.ListUserRequest;
import io.courier.rpc.benchmark.grpc.proto.PageProto;
import io.courier.rpc.benchmark.grpc.proto.StreamUsersRequest;
import io.courier.rpc.benchmark.grpc.proto.UserGrpcServiceGrpc;
import io.courier.rpc.benchmark.grpc.proto.UserProto;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * The gRPC service: unwraps each request, calls the shared {@link UserService} and maps its
 * result to a message.
 *
 * <p>Thread-safe (the delegate is).
 */
final class GrpcUserService extends UserGrpcServiceGrpc.UserGrpcServiceImplBase {

    private static final BoolReply TRUE = BoolReply.newBuilder().setValue(true).build();
    private static final BoolReply FALSE = BoolReply.newBuilder().setValue(false).build();

    private final UserService delegate;

    GrpcUserService(UserService delegate) {
        this.delegate = delegate;
    }

    @Override
    public void existUser(ExistUserRequest request, StreamObserver<BoolReply> responses) {
        reply(responses, delegate.existUser(request.getEmail()) ? TRUE : FALSE);
    }

    @Override
    public void getUser(GetUserRequest request, StreamObserver<UserProto> responses) {
        reply(responses, ProtoMapper.toProto(delegate.getUser(request.getId())));
    }

    @Override
    public void listUser(ListUserRequest request, StreamObserver<PageProto> responses) {
        reply(responses, ProtoMapper.toProto(delegate.listUser(request.getPageNo())));
    }

    @Override
    public void createUser(UserProto request, StreamObserver<BoolReply> responses) {
        reply(responses, delegate.createUser(ProtoMapper.fromProto(request)) ? TRUE : FALSE);
    }

    /**
     * The streaming phase, as grpc-java's examples write a server stream: {@code onNext} for each
     * user, then {@code onCompleted}. It ignores {@code isReady()}: gRPC buffers what the
     * connection's flow control does not let out yet, at most one stream's 1,000 users (about
     * 400 KB) per caller here.
     */
    @Override
    public void streamUsers(StreamUsersRequest request, StreamObserver<UserProto> responses) {
        int count = request.getCount();
        if (count < 0 || count > UserStreamService.MAX_COUNT) {
            responses.onError(Status.INVALID_ARGUMENT
                    .withDescription("count: " + count + " (expected: 0.." + UserStreamService.MAX_COUNT + ")")
                    .asRuntimeException());
            return;
        }
        long first = request.getFirstId();
        for (int i = 0; i < count; i++) {
            responses.onNext(ProtoMapper.toProto(delegate.getUser(first + i)));
        }
        responses.onCompleted();
    }

    private static <T> void reply(StreamObserver<T> responses, T value) {
        responses.onNext(value);
        responses.onCompleted();
    }
}
